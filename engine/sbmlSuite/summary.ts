/** Totals of a suite run: by outcome, pass rate over TimeCourse cases, pass/total per tag, commonest refusals. */
import { OUTCOMES, type CaseOutcome, type Outcome } from './runCase.js';

export interface TagTally {
  tag: string;
  passed: number;
  total: number;
}

export interface SuiteSummary {
  cases: number;
  counts: Record<Outcome, number>;
  /** Cases whose testType is TimeCourse (every outcome but not-time-course). */
  timeCourse: number;
  /** pass / timeCourse (0 when there is none). */
  passRate: number;
  componentTags: TagTally[];
  testTags: TagTally[];
  /** Refusal problems with quoted ids and line numbers blanked, by the number of cases they stop, most first. */
  topRefusals: Array<{ reason: string; cases: number; example: string }>;
}

/** A refusal problem without what is particular to one case (ids in quotes, line numbers, numbers), so that alike problems group. */
export function refusalKind(problem: string): string {
  return problem
    .replace(/^line \d+(, column \d+)?: /, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b\d+(\.\d+)?([eE][+-]?\d+)?\b/g, 'N');
}

function tally(outcomes: readonly CaseOutcome[], tags: (o: CaseOutcome) => string[]): TagTally[] {
  const byTag = new Map<string, TagTally>();
  for (const o of outcomes) {
    for (const tag of tags(o)) {
      const entry = byTag.get(tag) ?? { tag, passed: 0, total: 0 };
      entry.total++;
      if (o.outcome === 'pass') entry.passed++;
      byTag.set(tag, entry);
    }
  }
  return [...byTag.values()].sort((a, b) => a.tag.localeCompare(b.tag));
}

export function summarizeSuite(outcomes: readonly CaseOutcome[]): SuiteSummary {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const o of outcomes) counts[o.outcome]++;
  const timeCourseCases = outcomes.filter((o) => o.outcome !== 'not-time-course');
  const refusals = new Map<string, { cases: Set<string>; example: string }>();
  for (const o of outcomes) {
    if (o.outcome !== 'refused') continue;
    for (const problem of o.problems ?? [o.reason ?? '']) {
      const kind = refusalKind(problem);
      const entry = refusals.get(kind) ?? { cases: new Set<string>(), example: `${o.id}: ${problem}` };
      entry.cases.add(o.id);
      refusals.set(kind, entry);
    }
  }
  return {
    cases: outcomes.length,
    counts,
    timeCourse: timeCourseCases.length,
    passRate: timeCourseCases.length > 0 ? counts.pass / timeCourseCases.length : 0,
    componentTags: tally(timeCourseCases, (o) => o.componentTags),
    testTags: tally(timeCourseCases, (o) => o.testTags),
    topRefusals: [...refusals.entries()]
      .map(([reason, { cases, example }]) => ({ reason, cases: cases.size, example }))
      .sort((a, b) => b.cases - a.cases || a.reason.localeCompare(b.reason)),
  };
}

/** Refusal kinds shown in the text summary. */
const TOP_REFUSALS_SHOWN = 15;

export function formatSuiteSummary(summary: SuiteSummary): string {
  const { counts } = summary;
  const lines = [
    `${summary.cases} case${summary.cases === 1 ? '' : 's'}: ${OUTCOMES.filter((o) => counts[o] > 0 || o === 'pass')
      .map((o) => `${counts[o]} ${o === 'not-time-course' ? 'not a time course' : o}`)
      .join(', ')}`,
    `TimeCourse: ${counts.pass} of ${summary.timeCourse} pass (${(summary.passRate * 100).toFixed(1)}%)`,
  ];
  const table = (title: string, tallies: TagTally[]) => {
    if (tallies.length === 0) return;
    const width = Math.max(...tallies.map((t) => t.tag.length));
    lines.push(`${title} (passed/total):`);
    for (const t of tallies)
      lines.push(
        `  ${t.tag.padEnd(width)}  ${`${t.passed}/${t.total}`.padStart(9)}${t.passed < t.total ? `  ${((t.passed / t.total) * 100).toFixed(0)}%` : ''}`,
      );
  };
  table('componentTags', summary.componentTags);
  table('testTags', summary.testTags);
  if (summary.topRefusals.length > 0) {
    lines.push(`commonest refusals (cases: reason; example):`);
    for (const r of summary.topRefusals.slice(0, TOP_REFUSALS_SHOWN)) lines.push(`  ${String(r.cases).padStart(4)}: ${r.reason}; e.g. ${r.example}`);
  }
  return `${lines.join('\n')}\n`;
}
