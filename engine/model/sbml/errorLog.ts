/**
 * libSBML's error log with line, column and severity. The libsbmljs binding
 * exposes only `getMessage()` of an SBMLError; the rest is read from the
 * object's fields in wasm memory (libSBML 5.18 XMLError: vtable, errorId,
 * message, shortMessage, severity, category, line, column; libc++ strings of
 * 12 bytes). The layout is checked on every record by decoding the message
 * from memory and comparing it with `getMessage()`; when it does not match
 * (another libsbmljs build), line and column are left out and the severity
 * is inferred, rather than reading garbage.
 */
import type { LibsbmlModule, LibsbmlObject, SbmlDocument } from './libsbml.js';

export type Severity = 'info' | 'warning' | 'error' | 'fatal';

export interface LogRecord {
  /** libSBML error id: below 10000 an XML-level problem, above an SBML one. */
  errorId?: number;
  severity: Severity;
  /** libSBML's category number (LIBSBML_CAT_*), when known. */
  category?: number;
  line?: number;
  column?: number;
  message: string;
}

const SEVERITIES: Severity[] = ['info', 'warning', 'error', 'fatal'];

/** Every record in `document`'s error log. `fallbackSeverity` applies when the layout cannot be verified. */
export function readErrorLog(module: LibsbmlModule, document: SbmlDocument, fallbackSeverity: Severity): LogRecord[] {
  const records: LogRecord[] = [];
  for (let i = 0; i < document.getNumErrors(); i++) {
    const error = document.getError(i);
    const message = error.getMessage().trim();
    const fields = readFields(module, error, message);
    records.push(fields ? { ...fields, message } : { severity: fallbackSeverity, message });
  }
  return records;
}

function readFields(module: LibsbmlModule, error: LibsbmlObject, message: string): Omit<LogRecord, 'message'> | null {
  const buffer = module.wasmMemory?.buffer ?? module.buffer;
  if (!buffer || error.ptr <= 0 || error.ptr + 48 > buffer.byteLength) return null;
  const view = new DataView(buffer);
  const word = (index: number) => view.getUint32(error.ptr + 4 * index, true);
  if (readString(view, error.ptr + 8)?.trim() !== message) return null;
  const severity = SEVERITIES[word(8)];
  if (!severity) return null;
  return { errorId: word(1), severity, category: word(9), line: word(10) || undefined, column: word(11) || undefined };
}

/** A libc++ std::string at `at` (wasm32): long form {data, size, capacity | 1<<31}, or short form with the size in byte 11. */
function readString(view: DataView, at: number): string | null {
  const bytes = new Uint8Array(view.buffer);
  const flag = view.getUint8(at + 11);
  let start: number;
  let size: number;
  if (flag & 0x80) {
    start = view.getUint32(at, true);
    size = view.getUint32(at + 4, true);
  } else {
    start = at;
    size = flag;
  }
  if (size > 1 << 20 || start + size > bytes.length) return null;
  return new TextDecoder().decode(bytes.subarray(start, start + size));
}

/** The specific part of a libSBML message: its last non-empty line (the first lines explain the rule in general). */
export function specificPart(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1] ?? message;
  return lines.length > 1 && !last.startsWith('Reference:') ? last : (lines[0] ?? message);
}
