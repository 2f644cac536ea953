/**
 * Float64Array <-> BLOB. Bytes are the platform's (little-endian on every
 * target Sciope ships for: x64, arm64), so a BLOB is the array's memory as is.
 */
export function toBlob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A copy (BLOB buffers from SQLite may not be 8-byte aligned). */
export function fromBlob(blob: Buffer | Uint8Array | null | undefined): Float64Array {
  if (!blob) return new Float64Array(0);
  if (blob.byteLength % 8 !== 0) throw new RangeError(`a Float64 BLOB must have a multiple of 8 bytes, got ${blob.byteLength}`);
  const out = new Float64Array(blob.byteLength / 8);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** SQLite stores NaN as NULL: read it back. */
export function real(value: number | null | undefined): number {
  return value === null || value === undefined ? NaN : value;
}
