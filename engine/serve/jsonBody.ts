import { isUtf8 } from 'node:buffer';
import { badRequest, ServeRefusal } from './refusals.js';

export interface JsonShapeLimits {
  readonly maxDepth: number;
  readonly maxContainers: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * The argument of an API call from its body: nothing for an empty body,
 * else the JSON value. Refused (400) before JSON.parse when the bytes are
 * not UTF-8, nest deeper than `maxDepth` or hold more than `maxContainers`
 * arrays and objects: 64 MiB of `[{},{},...]` costs JSON.parse over a
 * gigabyte of heap and tens of seconds of a blocked engine, while the
 * scan that refuses it reads each byte once (strings are skipped with
 * Buffer.indexOf). The body is decoded once, from one Buffer.
 */
export function parseJsonBody(bytes: Buffer, limits: JsonShapeLimits): unknown {
  if (bytes.length === 0) return undefined;
  if (!isUtf8(bytes)) throw badRequest('request body: not valid UTF-8 (send the arguments as UTF-8 JSON)');
  checkJsonShape(bytes, limits);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw badRequest(`request body: ${(error as Error).message.slice(0, 200)}`);
  }
}

/** Throws a 400 refusal when the JSON text in `bytes` nests too deep or holds too many arrays and objects. */
export function checkJsonShape(bytes: Buffer, limits: JsonShapeLimits): void {
  let depth = 0;
  let containers = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      i = closingQuote(bytes, i);
      if (i < 0) return; // unterminated: JSON.parse says where
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > limits.maxDepth) throw tooComplex(`nests arrays and objects deeper than ${limits.maxDepth} levels`, limits);
      if (++containers > limits.maxContainers) throw tooComplex(`holds more than ${limits.maxContainers} arrays and objects`, limits);
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
}

/** Index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(bytes: Buffer, open: number): number {
  let at = bytes.indexOf(QUOTE, open + 1);
  while (at >= 0) {
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = bytes.indexOf(QUOTE, at + 1);
  }
  return -1;
}

function tooComplex(what: string, limits: JsonShapeLimits): ServeRefusal {
  return new ServeRefusal(400, 'RequestError', 'BODY_TOO_COMPLEX', `request body: the JSON ${what}, more than any engine call needs`, {
    maxDepth: limits.maxDepth,
    maxContainers: limits.maxContainers,
  });
}
