import { EngineError } from '../errors/index.js';

/**
 * A path typed or sent by someone must be refused before any file call when
 * it holds a NUL or another control character: the C layer below Node and
 * SQLite stops at NUL, so "/x/other.sqlite\u0000" would be checked as one
 * path and opened as another. Control characters have no place in a file
 * name a person chose either (they are how terminal and log injection
 * starts), so all of C0, DEL and C1 are refused.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export class PathTextError extends EngineError {
  constructor(
    readonly field: string,
    readonly position: number,
    code: number,
  ) {
    const unicode = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    super('BAD_PATH', `${field}: the path contains a control character (${unicode} at character ${position + 1}); choose a file name without it`, {
      field,
      position,
      character: unicode,
    });
  }
}

/** The index of the first control character in `path`, or -1. */
export function controlCharacterIndex(path: string): number {
  const match = CONTROL.exec(path);
  return match ? match.index : -1;
}

/** `path` itself when it holds no control character; else throws PathTextError naming `field`. */
export function checkPathText(path: string, field = 'path'): string {
  const at = controlCharacterIndex(path);
  if (at >= 0) throw new PathTextError(field, at, path.charCodeAt(at));
  return path;
}
