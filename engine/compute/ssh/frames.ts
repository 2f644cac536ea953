/**
 * The framed binary protocol between the SSH pool (host) and a remote worker
 * process, over the exec channel's stdin/stdout. Every frame is
 *
 *     [u32 LE bodyLength][u8 type][body: bodyLength bytes]
 *
 * | type | dir  | body |
 * | ---- | ---- | ---- |
 * | HELLO      1 | w→h | UTF-8 JSON {@link Hello}; always the first frame the worker writes |
 * | JOB        2 | h→w | [u32 jobId] + UTF-8 JSON of the SimulationJob (sent once per job per node) |
 * | BATCH      3 | h→w | [u32 batchId][u32 jobId] + packed trials (batchCodec.packTrials, f64 LE) |
 * | RESULT     4 | w→h | [u32 batchId][u32 pad] + packed results (batchCodec.packResults, f64 LE) |
 * | ERROR      5 | w→h | [u32 batchId] + UTF-8 JSON {@link WireError}; batchId NO_BATCH for the process itself |
 * | HEARTBEAT  6 | both | empty; the worker sends one every --heartbeat ms, the host too |
 *
 * The u32 prefixes keep the Float64 payload at an 8-byte offset inside the
 * body. A worker exits when its stdin ends (the channel closed, the
 * connection dropped, the host cancelled), so no process outlives its channel.
 */
export const PROTOCOL = 'sciope-worker/1';

export const FrameType = {
  hello: 1,
  job: 2,
  batch: 3,
  result: 4,
  error: 5,
  heartbeat: 6,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** batchId of an ERROR frame about the worker process rather than one batch. */
export const NO_BATCH = 0xffffffff;
/** Frames larger than this are a corrupt stream (e.g. a shell rc file printing to stdout), not data. */
export const MAX_FRAME_BYTES = 1 << 30;

export interface Hello {
  readonly protocol: string;
  readonly node: string;
  readonly pid: number;
  readonly threads: number;
  readonly cores: number;
  readonly endianness: 'LE' | 'BE';
}

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** The batch may succeed when run again (its thread crashed rather than threw). */
  readonly retryable?: boolean;
}

export interface Frame {
  readonly type: number;
  readonly body: Buffer;
}

const HEADER = 5;

export function encodeFrame(type: FrameType, ...parts: Array<Uint8Array | ArrayBufferView>): Buffer {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const out = Buffer.allocUnsafe(HEADER + length);
  out.writeUInt32LE(length, 0);
  out.writeUInt8(type, 4);
  let offset = HEADER;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset);
    offset += p.byteLength;
  }
  return out;
}

export function u32(...values: number[]): Buffer {
  const out = Buffer.allocUnsafe(4 * values.length);
  values.forEach((v, i) => out.writeUInt32LE(v >>> 0, 4 * i));
  return out;
}

export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/** A Float64Array copied out of a frame body (a stream chunk is not 8-byte aligned). */
export function float64At(body: Buffer, offset: number): Float64Array {
  const bytes = body.byteLength - offset;
  const out = new Float64Array(bytes / 8);
  new Uint8Array(out.buffer).set(body.subarray(offset));
  return out;
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** Splits a byte stream into frames; push() chunks as they arrive. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly onFrame: (frame: Frame) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    while (this.buffered >= HEADER) {
      const head = this.peek(HEADER);
      const length = head.readUInt32LE(0);
      const type = head.readUInt8(4);
      if (length > MAX_FRAME_BYTES || type < FrameType.hello || type > FrameType.heartbeat) {
        const text = this.peek(Math.min(this.buffered, 200))
          .toString('utf8')
          .replace(/[^\x20-\x7e\n]/g, '.');
        throw new FrameError(`not a ${PROTOCOL} frame (the remote wrote something else to stdout): ${JSON.stringify(text)}`);
      }
      if (this.buffered < HEADER + length) return;
      const whole = this.take(HEADER + length);
      this.onFrame({ type, body: whole.subarray(HEADER) });
    }
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].byteLength >= n) return this.chunks[0].subarray(0, n);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.peek(n);
    const head = this.chunks[0];
    this.chunks[0] = head.subarray(n);
    if (this.chunks[0].byteLength === 0) this.chunks.shift();
    this.buffered -= n;
    return first;
  }
}
