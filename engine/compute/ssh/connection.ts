import { readFileSync } from 'node:fs';
import { expandHome } from '../../paths/index.js';
import ssh2, { type ClientChannel, type ConnectConfig, type ServerHostKeyAlgorithm, type SFTPWrapper } from 'ssh2';

// ssh2 is CommonJS; Node's named-export detection finds Client but not utils.
const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;
import { RemoteNodeError } from '../../errors/index.js';
import { checkHostKey, DEFAULT_KNOWN_HOSTS, fingerprint, keyTypeLabel, keyTypeOf, knownHostName, knownKeyTypes, readKnownHosts } from './knownHosts.js';
import { nodeLabel, type NodeSettings } from './nodeSettings.js';

export interface ConnectOptions {
  /** known_hosts file to verify host keys against (default ~/.ssh/known_hosts). */
  readonly knownHosts?: string;
  /** Give up connecting (TCP + handshake + authentication) after this long; default 15 000 ms. */
  readonly connectTimeoutMs?: number;
  /** SSH-level keepalive period; the connection is dropped after 3 unanswered; default 5 000 ms. */
  readonly keepaliveMs?: number;
  /** Asked for the passphrase of an encrypted key when the settings give none. */
  readonly promptPassphrase?: (node: NodeSettings) => Promise<string>;
}

export interface ExecResult {
  /** Exit status; null when the command died of a signal or the channel closed without one. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An authenticated SSH connection to a node whose host key was verified. */
export interface NodeConnection {
  readonly node: NodeSettings;
  readonly label: string;
  readonly client: Client;
  /** e.g. `ED25519 SHA256:...` */
  readonly hostKey: string;
  exec(command: string, timeoutMs?: number): Promise<ExecResult>;
  /** Start a long-running command; its stdin/stdout are the channel. */
  spawn(command: string): Promise<ClientChannel>;
  sftp(): Promise<SFTPWrapper>;
  close(): void;
}

/** Quote a word for a POSIX shell; a leading `~/` stays the remote home. */
export function shellQuote(word: string): string {
  if (word.startsWith('~/')) return `"$HOME"/${shellQuote(word.slice(2))}`;
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const sshCommand = (node: NodeSettings, file: string) =>
  `ssh -p ${node.port} -o UserKnownHostsFile=${shellQuote(file)} ${shellQuote(`${node.user}@${node.host}`)}`;

function hostKeyError(node: NodeSettings, file: string, offered: Buffer): RemoteNodeError | null {
  const check = checkHostKey(readKnownHosts(file), node.host, node.port, offered);
  const label = nodeLabel(node);
  const name = knownHostName(node.host, node.port);
  const type = keyTypeOf(offered);
  const shown = `${keyTypeLabel(type)} key ${fingerprint(offered)}`;
  const details = { host: node.host, port: node.port, knownHosts: file, keyType: type, fingerprint: fingerprint(offered) };
  if (check.status === 'known') return null;
  if (check.status === 'unknown') {
    const others = check.knownTypes.length > 0 ? ` (it lists only ${check.knownTypes.map(keyTypeLabel).join(', ')} keys for it)` : '';
    const keyscanType = type.startsWith('ecdsa-') ? 'ecdsa' : type.replace(/^ssh-/, '');
    return new RemoteNodeError(
      label,
      'unknown-host',
      `${label}: unknown host: the server offered ${shown}, which ${file} does not list for ${name}${others}.\n` +
        `Check that fingerprint with the node's administrator (on the node: ssh-keygen -lf /etc/ssh/ssh_host_${keyscanType}_key.pub), then trust it with:\n` +
        `  ssh-keyscan -p ${node.port} -t ${keyscanType} ${shellQuote(node.host)} >> ${shellQuote(file)}\n` +
        `or connect once and answer yes: ${sshCommand(node, file)}`,
      details,
    );
  }
  const verb = check.status === 'revoked' ? 'is REVOKED' : 'has CHANGED';
  return new RemoteNodeError(
    label,
    check.status === 'revoked' ? 'host-key-revoked' : 'host-key-changed',
    `${label}: refusing to connect: the host key ${verb}: the server offered ${shown}, but ${file} line ${check.entry.line} ` +
      (check.status === 'revoked' ? `revokes it.` : `holds ${keyTypeLabel(check.entry.keyType)} key ${fingerprint(check.entry.key)} for ${name}.`) +
      `\nSomeone could be intercepting the connection (man-in-the-middle), or the node was reinstalled. ` +
      `If you know the key changed legitimately, remove the old one with: ssh-keygen -R ${shellQuote(name)} -f ${shellQuote(file)}, then trust the new key.`,
    { ...details, line: check.entry.line },
  );
}

async function authentication(node: NodeSettings, options: ConnectOptions): Promise<Partial<ConnectConfig>> {
  const label = nodeLabel(node);
  if (node.agent !== undefined) {
    const agent = node.agent === true ? process.env.SSH_AUTH_SOCK : node.agent;
    if (!agent) throw new RemoteNodeError(label, 'auth', `${label}: "agent": true but SSH_AUTH_SOCK is not set; start ssh-agent or give the socket path`);
    return { agent };
  }
  const file = expandHome(node.privateKey!);
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (error) {
    throw new RemoteNodeError(label, 'auth', `${label}: cannot read the private key ${file}: ${(error as Error).message}`, { privateKey: file });
  }
  let passphrase = node.passphrase;
  let parsed = utils.parseKey(key, passphrase);
  if (parsed instanceof Error && /no passphrase given/.test(parsed.message) && options.promptPassphrase) {
    passphrase = await options.promptPassphrase(node);
    parsed = utils.parseKey(key, passphrase);
  }
  if (parsed instanceof Error) {
    const hint = /no passphrase given/.test(parsed.message)
      ? ' (the key is encrypted: give its "passphrase")'
      : /passphrase/.test(parsed.message)
        ? ' (wrong passphrase?)'
        : '';
    throw new RemoteNodeError(label, 'auth', `${label}: cannot use the private key ${file}: ${parsed.message}${hint}`, { privateKey: file });
  }
  return { privateKey: key, ...(passphrase !== undefined ? { passphrase } : {}) };
}

/** Connect and authenticate; the host key must be in known_hosts (unknown: a clear error; changed: refused). */
export async function connectNode(node: NodeSettings, options: ConnectOptions = {}): Promise<NodeConnection> {
  const label = nodeLabel(node);
  const knownHosts = expandHome(options.knownHosts ?? DEFAULT_KNOWN_HOSTS);
  const auth = await authentication(node, options);
  const preferred = knownKeyTypes(readKnownHosts(knownHosts), node.host, node.port).flatMap((t) =>
    t === 'ssh-rsa' ? ['ssh-rsa', 'rsa-sha2-256', 'rsa-sha2-512'] : [t],
  );
  const client = new Client();
  let refused: RemoteNodeError | null = null;
  let hostKey = '';
  const config: ConnectConfig = {
    host: node.host,
    port: node.port,
    username: node.user,
    ...auth,
    readyTimeout: options.connectTimeoutMs ?? 15_000,
    keepaliveInterval: options.keepaliveMs ?? 5_000,
    keepaliveCountMax: 3,
    algorithms: {
      serverHostKey: {
        prepend: preferred.filter((t): t is ServerHostKeyAlgorithm => /^(ssh-ed25519|ssh-rsa|rsa-sha2-(256|512)|ecdsa-sha2-nistp(256|384|521))$/.test(t)),
        append: [],
        remove: [],
      },
    },
    hostVerifier: (key: Buffer) => {
      hostKey = `${keyTypeLabel(keyTypeOf(key))} ${fingerprint(key)}`;
      try {
        refused = hostKeyError(node, knownHosts, key);
      } catch (error) {
        refused = new RemoteNodeError(label, 'unknown-host', `${label}: cannot read ${knownHosts}: ${(error as Error).message}`);
      }
      return refused === null;
    },
  };
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error & { level?: string; code?: string }) => {
      client.removeAllListeners('ready');
      client.end();
      if (refused) return reject(refused);
      if (error.level === 'client-authentication') {
        return reject(
          new RemoteNodeError(
            label,
            'auth',
            `${label}: authentication failed as "${node.user}" with ${node.agent !== undefined ? 'the ssh-agent keys' : `the key ${node.privateKey}`}; is its public key in ~/.ssh/authorized_keys on the node?`,
          ),
        );
      }
      const reason =
        error.code === 'ECONNREFUSED'
          ? 'connection refused (is sshd running, is the port right?)'
          : error.code === 'ENOTFOUND'
            ? 'unknown host name'
            : /Timed out/.test(error.message)
              ? 'timed out'
              : error.message;
      reject(new RemoteNodeError(label, 'connect', `${label}: cannot connect: ${reason}`, { cause: error.message }));
    };
    client.once('ready', () => {
      client.removeListener('error', fail);
      client.on('error', () => undefined); // later errors surface as 'close' on the users of the connection
      resolve();
    });
    client.once('error', fail);
    client.connect(config);
  });

  const spawn = (command: string) =>
    new Promise<ClientChannel>((resolve, reject) => {
      client.exec(command, (error, channel) =>
        error ? reject(new RemoteNodeError(label, 'connect', `${label}: cannot start "${command}": ${error.message}`)) : resolve(channel),
      );
    });
  return {
    node,
    label,
    client,
    hostKey,
    spawn,
    async exec(command, timeoutMs = 30_000) {
      const channel = await spawn(command);
      return new Promise<ExecResult>((resolve, reject) => {
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let code: number | null = null;
        const timer = setTimeout(() => {
          channel.close();
          reject(new RemoteNodeError(label, 'connect', `${label}: "${command}" did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        channel.on('exit', (status: number | null) => (code = typeof status === 'number' ? status : null));
        channel.on('close', () => {
          clearTimeout(timer);
          resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
        });
        channel.end();
      });
    },
    sftp: () =>
      new Promise<SFTPWrapper>((resolve, reject) => {
        client.sftp((error, sftp) => (error ? reject(new RemoteNodeError(label, 'deploy', `${label}: cannot open SFTP: ${error.message}`)) : resolve(sftp)));
      }),
    close: () => client.end(),
  };
}
