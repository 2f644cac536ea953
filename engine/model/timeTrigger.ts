import type { ExprNode } from './expression/index.js';
import { identifiersOf } from './expression/index.js';

/** `t >= T`, `t > T`, `T <= t`, `T < t` with T free of t: the time the trigger turns true. */
export function timeTrigger(trigger: ExprNode): { at: ExprNode; strict: boolean } | null {
  if (trigger.type !== 'binary') return null;
  const isTime = (n: ExprNode) => n.type === 'identifier' && n.name === 't';
  const freeOfTime = (n: ExprNode) => !identifiersOf(n).has('t');
  const { op, left, right } = trigger;
  if (isTime(left) && freeOfTime(right) && (op === '>=' || op === '>')) return { at: right, strict: op === '>' };
  if (isTime(right) && freeOfTime(left) && (op === '<=' || op === '<')) return { at: left, strict: op === '<' };
  return null;
}
