/**
 * The header of a case's `NNNNN-model.m`: `testType` (TimeCourse,
 * FluxBalanceSteadyState...), `componentTags` (the SBML constructs the case
 * uses) and `testTags` (the situations it tests). A few files repeat the
 * header block (00965); the first value of each key counts.
 */
import { SuiteFileError } from './suiteFileError.js';

export interface CaseHeader {
  testType: string;
  componentTags: string[];
  testTags: string[];
  synopsis?: string;
}

export const TIME_COURSE = 'TimeCourse';

export function parseCaseHeader(text: string, file: string): CaseHeader {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^(testType|componentTags|testTags|synopsis):\s*(.*)$/.exec(line.trim());
    if (match && !fields.has(match[1])) fields.set(match[1], match[2].trim());
  }
  const testType = fields.get('testType');
  if (!testType) throw new SuiteFileError(file, 'no "testType:" line in the header');
  const tags = (key: string) =>
    (fields.get(key) ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  return { testType, componentTags: tags('componentTags'), testTags: tags('testTags'), synopsis: fields.get('synopsis') };
}
