import { gzipSync } from 'node:zlib';

/** One regular file of a tarball: its path inside the archive (forward slashes), bytes and mode. */
export interface TarEntry {
  readonly path: string;
  readonly data: Buffer;
  /** Permission bits, e.g. 0o644 (0o755 for a script that must stay executable). */
  readonly mode: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** Split a path into ustar's `prefix` (<= 155 bytes) and `name` (<= 100 bytes) at a slash. */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new RangeError(`path too long for a tar archive: ${path}`);
}

function header(entry: TarEntry): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { prefix, name } = splitPath(entry.path);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(entry.mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii'); // uid: the extracting user owns the files
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.data.byteLength, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii'); // mtime 0: equal content, equal archive, equal hash
  block.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  block.write('0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

/**
 * A gzipped POSIX ustar archive of regular files (directories are implied
 * by the paths; `tar xzf` creates them), sorted by path and with every
 * timestamp and owner zeroed, so the same files always give the same bytes:
 * the archive's hash names a deployment. Every cluster has `tar` and `gzip`.
 */
export function gzippedTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (entry.path.startsWith('/') || entry.path.split('/').includes('..'))
      throw new RangeError(`tar entry must be a relative path inside the archive: ${entry.path}`);
    parts.push(header(entry), entry.data);
    const pad = (BLOCK - (entry.data.byteLength % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
