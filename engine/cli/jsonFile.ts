import { readFileSync } from 'node:fs';
import { EngineError } from '../errors/index.js';
import { locateJsonError } from './jsonSyntax.js';

/** A file that cannot be read or is not valid JSON; the message names the file, line and column. */
export class InputFileError extends EngineError {
  constructor(file: string, message: string, details: Record<string, unknown> = {}) {
    super('INPUT_FILE', `${file}: ${message}`, { file, ...details });
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Read a text file; a missing or unreadable one is an InputFileError naming it. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(file, code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
}

/** Read and parse a JSON file; syntax errors give line, column and what was expected. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : (error as Error).message;
    throw new InputFileError(file, reason);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const problem = locateJsonError(text);
    const offset = problem?.offset ?? text.length;
    const { line, column } = lineColumn(text, offset);
    const found = offset < text.length ? `found ${JSON.stringify(text[offset])}` : 'found end of file';
    const reason = problem ? `expected ${problem.expected}, ${found}` : (error as Error).message;
    throw new InputFileError(file, `invalid JSON at line ${line}, column ${column}: ${reason}`, { line, column });
  }
}
