import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Host-key verification against an OpenSSH known_hosts file (sshd(8),
 * "SSH_KNOWN_HOSTS FILE FORMAT"): `[@marker] patterns keytype base64 [comment]`,
 * patterns comma-separated with `*`, `?` and `!` negation, `[host]:port` for
 * ports other than 22, hashed names `|1|salt|HMAC-SHA1(salt, name)`.
 * `@revoked` keys are refused; `@cert-authority` lines are not supported
 * (certificates are not checked) and ignored.
 */
export const DEFAULT_KNOWN_HOSTS = join(homedir(), '.ssh', 'known_hosts');

export interface KnownHostEntry {
  readonly line: number;
  readonly marker: '' | '@revoked' | '@cert-authority';
  readonly patterns: readonly string[];
  readonly keyType: string;
  readonly key: Buffer;
}

export type HostKeyCheck =
  | { readonly status: 'known'; readonly entry: KnownHostEntry }
  | { readonly status: 'unknown'; readonly knownTypes: readonly string[] }
  | { readonly status: 'changed'; readonly entry: KnownHostEntry }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? (fields.shift() as KnownHostEntry['marker']) : '';
    if (fields.length < 3) return;
    const key = Buffer.from(fields[2], 'base64');
    if (key.length === 0) return;
    entries.push({ line: i + 1, marker, patterns: fields[0].split(','), keyType: fields[1], key });
  });
  return entries;
}

/** Read a known_hosts file; a missing file knows no host. */
export function readKnownHosts(file = DEFAULT_KNOWN_HOSTS): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The name known_hosts stores for a host: `host`, or `[host]:port` when the port is not 22. */
export const knownHostName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return globMatch(pattern, name);
}

function entryMatches(entry: KnownHostEntry, name: string): boolean {
  let matched = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) matched = true;
  }
  return matched;
}

/** The key type inside an SSH public-key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** OpenSSH's fingerprint: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export const fingerprint = (blob: Buffer): string => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** `ssh-ed25519` → `ED25519`, as ssh prints key types. */
export const keyTypeLabel = (type: string): string =>
  type === 'ssh-ed25519' ? 'ED25519' : type === 'ssh-rsa' ? 'RSA' : type.startsWith('ecdsa-') ? 'ECDSA' : type === 'ssh-dss' ? 'DSA' : type;

/** The key types known_hosts holds for a host (to ask the server for one of those first). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  return [...new Set(entries.filter((e) => e.marker === '' && entryMatches(e, name)).map((e) => e.keyType))];
}

/** Check the key a server offered against the entries for its name. */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, offered: Buffer): HostKeyCheck {
  const name = knownHostName(host, port);
  const type = keyTypeOf(offered);
  const matching = entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e, name));
  const revoked = matching.find((e) => e.marker === '@revoked' && e.key.equals(offered));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = matching.filter((e) => e.marker === '');
  const same = plain.find((e) => e.key.equals(offered));
  if (same) return { status: 'known', entry: same };
  const changed = plain.find((e) => e.keyType === type);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown', knownTypes: [...new Set(plain.map((e) => e.keyType))] };
}
