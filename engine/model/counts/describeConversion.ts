/**
 * Plain-language lines about a molecule-count conversion, for the CLI and
 * the app: what one unit of each species is in molecules, each initial
 * count, every rounding, how kinetic laws were read, and whether one exact
 * SSA trajectory is affordable.
 */
import type { ConversionReport } from './conversionReport.js';
import { SSA_EVENTS_PER_SECOND } from './feasibility.js';

/** 4 significant digits, exponent form for large and small numbers: 6.022e+17 → "6.022e17". */
function short(x: number): string {
  if (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6)) return String(Number(x.toPrecision(4)));
  return x
    .toExponential(3)
    .replace(/\.?0+e/, 'e')
    .replace('e+', 'e');
}

/** 12 significant digits: the number as written, without the dust of floating-point products (1.0000000000000001e-21 → 1e-21). */
function precise(x: number): string {
  return String(Number(x.toPrecision(12)));
}

function duration(seconds: number): string {
  if (seconds < 120) return `${short(seconds)} s`;
  if (seconds < 7200) return `${short(seconds / 60)} min`;
  if (seconds < 172800) return `${short(seconds / 3600)} h`;
  if (seconds < 63_115_200) return `${short(seconds / 86400)} days`;
  return `${short(seconds / 31_557_600)} years`;
}

export function describeConversion(report: ConversionReport): string[] {
  const lines: string[] = [];
  for (const s of report.species) {
    const reads = s.concentration ? ' (read as a concentration: its name now means count / (F × compartment size))' : '';
    if (s.moleculesPerUnit === 1) lines.push(`${s.id} is counted in molecules (unit: ${s.unit}); initial count of ${s.id}: ${s.count}${reads}`);
    else
      lines.push(
        `1 ${s.unit} of ${s.id} = ${short(s.moleculesPerUnit)} molecules; initial count of ${s.id}: ${s.count} (from ${precise(s.amount)} ${s.unit})${reads}`,
      );
  }
  if (report.extent.moleculesPerUnit !== 1)
    lines.push(`reaction rates are in ${report.extent.unit} per time: propensity = ${short(report.extent.moleculesPerUnit)} × rate`);
  for (const r of report.rounded) lines.push(`initial count of ${r.id} rounded from ${precise(r.before)} to ${r.after} molecules`);
  for (const r of report.reactions) {
    if (r.form === 'mass-action')
      lines.push(`reaction ${r.id} is mass action: its propensity counts distinct molecule combinations (N(N−1)… for a reactant taken twice or more)`);
    if (r.form === 'split') lines.push(`reaction ${r.id} is reversible mass action: simulated as two irreversible reactions, ${r.into.join(' and ')}`);
  }
  lines.push(...report.notes);
  const f = report.feasibility;
  for (const bad of f.invalid)
    lines.push(
      `the propensity of ${bad.id} is ${bad.value} at t = 0: a propensity must be a non-negative number (a net rate of a reversible reaction cannot be simulated as events)`,
    );
  if (f.expectedEvents === null) {
    lines.push(`total propensity at t = 0: ${short(f.totalPropensity)} reaction events per time unit (no end time to estimate the events per trajectory)`);
  } else if (f.exceeded) {
    lines.push(
      `about ${short(f.expectedEvents)} reaction events per trajectory (total propensity ${short(f.totalPropensity)} at t = 0 × end time ${f.endTime}), ` +
        `more than ${short(f.threshold)}: the exact SSA (~${short(SSA_EVENTS_PER_SECOND)} events/s) would take about ${duration(f.expectedEvents / SSA_EVENTS_PER_SECOND)} per trajectory; ` +
        'use tau-leaping (--method tau) or the ODE (--method ode)',
    );
  } else {
    lines.push(
      `about ${short(f.expectedEvents)} reaction events per trajectory (total propensity ${short(f.totalPropensity)} at t = 0 × end time ${f.endTime})`,
    );
  }
  return lines;
}
