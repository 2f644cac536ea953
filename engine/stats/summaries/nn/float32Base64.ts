/**
 * Float32 arrays as base64 text (little-endian IEEE 754), the way network
 * weights travel inside a JSON spec. Pure: no Buffer, so it also runs in a
 * worker bundle or a browser.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) CODES[ALPHABET.charCodeAt(i)] = i;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of `values`. */
export function float32Bytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  if (!littleEndian) for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  return bytes;
}

/** Floats from little-endian bytes; throws RangeError when the length is not a multiple of 4. */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`expected a multiple of 4 bytes (float32), got ${bytes.length}`);
  const copy = bytes.slice();
  if (!littleEndian) for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse();
  return new Float32Array(copy.buffer, 0, copy.length / 4);
}

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk += ALPHABET[a >> 2] + ALPHABET[((a & 3) << 4) | (b >> 4)];
    chunk += i + 1 < bytes.length ? ALPHABET[((b & 15) << 2) | (c >> 6)] : '=';
    chunk += i + 2 < bytes.length ? ALPHABET[c & 63] : '=';
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** Bytes of base64 text; throws RangeError naming the first bad character. */
export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 4 !== 0) throw new RangeError(`base64 length must be a multiple of 4, got ${clean.length}`);
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let word = 0;
    for (let k = 0; k < 4; k++) {
      const ch = clean.charCodeAt(i + k);
      const code = ch < 128 ? CODES[ch] : -1;
      const isPad = ch === 61 && i + k >= clean.length - padding;
      if (code < 0 && !isPad) throw new RangeError(`invalid base64 character ${JSON.stringify(clean[i + k])} at position ${i + k}`);
      word = (word << 6) | (isPad ? 0 : code);
    }
    if (o < out.length) out[o++] = (word >> 16) & 255;
    if (o < out.length) out[o++] = (word >> 8) & 255;
    if (o < out.length) out[o++] = word & 255;
  }
  return out;
}

export const float32ToBase64 = (values: Float32Array): string => bytesToBase64(float32Bytes(values));
export const base64ToFloat32 = (text: string): Float32Array => bytesToFloat32(base64ToBytes(text));
