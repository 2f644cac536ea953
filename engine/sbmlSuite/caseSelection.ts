/** Case selections such as `1-1821` or `1-50,77,100-120`, and back. */
import { EngineError } from '../errors/index.js';

/** The largest case number the 5-digit case ids can hold. */
const LAST_CASE = 99_999;

export function caseId(n: number): string {
  return String(n).padStart(5, '0');
}

/** `1-50,77,100-120` → sorted, distinct case ids (`00001`...). Throws an EngineError (SBML_SUITE_CASES) naming the expected form. */
export function parseCaseSelection(text: string): string[] {
  const numbers = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const [from, to] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [NaN, NaN];
    if (!match || from < 1 || to > LAST_CASE || from > to) {
      throw new EngineError('SBML_SUITE_CASES', `expected case numbers like 1-1821 or 1-50,77,100-120 (1 to ${LAST_CASE}, ranges low-high), got "${text}"`);
    }
    for (let i = from; i <= to; i++) numbers.add(i);
  }
  return [...numbers].sort((a, b) => a - b).map(caseId);
}

/** Case ids → the shortest selection text (`1-50,77`), for a child's command line and for messages. */
export function formatCaseSelection(ids: readonly string[]): string {
  const numbers = [...new Set(ids.map(Number))].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(j === i ? `${numbers[i]}` : `${numbers[i]}-${numbers[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
