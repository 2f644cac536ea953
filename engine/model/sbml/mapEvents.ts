/**
 * SBML events → `events`, with delay, priority, persistent,
 * useValuesFromTriggerTime and initialValue.
 *
 * Level 2 has no priority, persistent or initialValue: its events behave as
 * persistent with initialValue true (SBML L3V1 spec, section 4.12, on the
 * Level 2 semantics). Missing math (allowed by SBML) means: no trigger, the
 * event never fires (left out); no delay or priority math, none; an event
 * assignment without math assigns nothing.
 */
import type { EventSpec } from '../schema.js';
import type { MappingContext } from './mappingContext.js';
import { targetOf } from './mapRules.js';
import { printExpression } from './printExpression.js';

export function mapEvents(context: MappingContext): EventSpec[] {
  const events: EventSpec[] = [];
  const ids = new Set<string>();
  for (let k = 0; k < context.model.getNumEvents(); k++) {
    const event = context.model.getEvent(k);
    let id = event.getId();
    if (!id) for (let n = k + 1; !id || ids.has(id) || context.ns.symbols.has(id); n++) id = `event${n}`;
    ids.add(id);
    const where = { element: 'event', id };
    const trigger = event.isSetTrigger() ? event.getTrigger() : undefined;
    const condition = trigger ? context.convert(trigger, where, 'trigger') : null;
    const assignments: Record<string, string | number> = {};
    for (let i = 0; i < event.getNumEventAssignments(); i++) {
      const assignment = event.getEventAssignment(i);
      const variable = assignment.getVariable();
      const target = targetOf(context, variable, where, 'event assignment');
      const value = context.convert(assignment, where, `assignment to "${variable}"`);
      if (!target) continue;
      if (value) assignments[target] = value.type === 'number' ? value.value : printExpression(value);
      else context.warn(where, `the assignment to "${variable}" has no math; left out`);
    }
    const delay = event.isSetDelay() ? context.convert(event.getDelay(), where, 'delay') : null;
    if (event.isSetDelay() && !delay) context.warn(where, 'the delay has no math; taken as no delay');
    const priority = context.level >= 3 && event.isSetPriority() ? context.convert(event.getPriority(), where, 'priority') : null;
    if (context.level >= 3 && event.isSetPriority() && !priority) context.warn(where, 'the priority has no math; taken as no priority');

    if (!trigger || !condition) {
      context.warn(where, 'no trigger math: the event never fires; left out');
      continue;
    }
    if (Object.keys(assignments).length === 0) {
      context.warn(where, 'assigns nothing; left out');
      continue;
    }
    const spec: EventSpec = {
      id,
      trigger: printExpression(condition),
      assignments,
      initialValue: context.level >= 3 ? trigger.getInitialValue() : true,
      persistent: context.level >= 3 ? trigger.getPersistent() : true,
      useValuesFromTriggerTime: event.getUseValuesFromTriggerTime(),
    };
    if (delay) spec.delay = delay.type === 'number' ? delay.value : printExpression(delay);
    if (priority) spec.priority = priority.type === 'number' ? priority.value : printExpression(priority);
    if (event.getName().trim()) spec.name = event.getName().trim();
    events.push(spec);
  }
  return events;
}
