/**
 * The 39 DSMTS models (Evans, Gillespie & Wilkinson 2008,
 * doi:10.1093/bioinformatics/btm566), imported from SBML, are counts
 * already (substanceUnits="item"): the conversion must be the identity,
 * F = 1, no rounding, no split or rewritten mass action, and every
 * propensity, rule and event must take the same value as before at random
 * states. The values are compared rather than the texts, so the test holds
 * whichever way the importer writes a species (with or without its
 * compartment, amount or concentration in a compartment of size 1).
 * Tolerance 1e-12 relative: the same arithmetic up to a division by 1.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toMoleculeCounts } from '../../../../engine/model/counts';
import { evaluateExpression, parseExpression } from '../../../../engine/model/expression';
import type { ReactionNetwork } from '../../../../engine/model/schema';
import { importSbml } from '../../../../engine/model/sbml';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128';
import { deriveStreamState } from '../../../../engine/sample/random/seedDerivation';

const WASM = createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');
const CASES = Array.from({ length: 39 }, (_, i) => String(i + 1).padStart(5, '0'));

async function importCase(id: string): Promise<ReactionNetwork> {
  const xml = readFileSync(new URL(`../../../fixtures/dsmts/sbml/${id}-sbml-l3v1.xml`, import.meta.url), 'utf8');
  return (await importSbml(xml, { wasm: WASM, source: id })).model;
}

/** Name → value as the original model's expressions read it: amounts for amountOnly species, count / size for concentrations. */
function originalLookup(model: ReactionNetwork, counts: ReadonlyMap<string, number>) {
  const sizes = new Map(model.compartments.map((c) => [c.id, c.size]));
  const values = new Map<string, number>([...model.parameters.map((p) => [p.id, p.value] as const), ...sizes]);
  for (const s of model.species) {
    const size = s.compartment !== undefined ? sizes.get(s.compartment)! : model.volume;
    values.set(s.id, s.amountOnly === false ? counts.get(s.id)! / size : counts.get(s.id)!);
  }
  return (name: string) => (name === 'vol' ? model.volume : name === 't' ? 0 : values.get(name)!);
}

function countLookup(model: ReactionNetwork, counts: ReadonlyMap<string, number>) {
  const values = new Map<string, number>([...model.parameters.map((p) => [p.id, p.value] as const), ...counts]);
  return (name: string) => (name === 'vol' ? model.volume : name === 't' ? 0 : values.get(name)!);
}

const evaluate = (text: string | number, lookup: (name: string) => number) => evaluateExpression(parseExpression(String(text)), lookup);

describe('DSMTS models are counts already: toMoleculeCounts is the identity', () => {
  it.for(CASES)('case %s', async (id) => {
    const original = await importCase(id);
    const { model: counts, report } = toMoleculeCounts(original);
    expect(report.species.every((s) => s.moleculesPerUnit === 1)).toBe(true);
    expect(report.extent.moleculesPerUnit).toBe(1);
    expect(report.rounded).toEqual([]);
    expect(report.reactions.every((r) => r.form === 'unchanged' || r.form === 'propensity')).toBe(true);
    // A species set by an assignment rule (00019's y = 2X) starts at the rule's value, as the simulators give it anyway.
    const initial = new Map(original.species.map((s) => [s.id, Number(s.initial)]));
    const atStart = originalLookup(original, initial);
    const expected = original.species.map((s) => {
      const rule = original.rules.find((r) => r.variable === s.id);
      return [s.id, rule ? evaluate(rule.expression, atStart) : s.initial];
    });
    expect(counts.species.map((s) => [s.id, s.initial])).toEqual(expected);
    expect(counts.reactions.map((r) => [r.id, r.reactants, r.products])).toEqual(original.reactions.map((r) => [r.id, r.reactants, r.products]));
    expect(counts.events.map((e) => [e.id, Object.keys(e.assignments)])).toEqual(original.events.map((e) => [e.id, Object.keys(e.assignments)]));

    const rng = new Xoshiro128(deriveStreamState(Number(id)));
    for (let trial = 0; trial < 20; trial++) {
      const state = new Map(original.species.map((s) => [s.id, Math.floor(rng.nextDouble() * 200)]));
      const before = originalLookup(original, state);
      const after = countLookup(counts, state);
      const same = (a: number, b: number, what: string) => expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * Math.abs(a));
      original.reactions.forEach((r, j) =>
        same(evaluate(r.propensity ?? r.rate!, before), evaluate(counts.reactions[j].propensity ?? counts.reactions[j].rate!, after), `reaction ${r.id}`),
      );
      original.rules.forEach((r, j) => same(evaluate(r.expression, before), evaluate(counts.rules[j].expression, after), `rule ${r.variable}`));
      original.events.forEach((e, k) => {
        same(evaluate(e.trigger, before), evaluate(counts.events[k].trigger, after), `trigger of ${e.id}`);
        for (const [v, text] of Object.entries(e.assignments))
          same(evaluate(text, before), evaluate(counts.events[k].assignments[v], after), `${e.id} sets ${v}`);
      });
    }
  });
});
