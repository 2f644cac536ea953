import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteNodeError } from '../../../../engine/errors/index.js';
import {
  checkHostKey,
  checkNodes,
  fingerprint,
  NodeSettingsError,
  parseKnownHosts,
  parseNodesFile,
  SshNodePool,
  type NodeReport,
} from '../../../../engine/compute/ssh/index.js';
import { getExample } from '../../../../engine/model/index.js';
import { otherPublicKey, sshdAvailable, SSHD_MISSING, startSshd, type SshServer } from './sshServer.js';

const run = promisify(execFile);

describe('node settings', () => {
  it('names every bad field with its path', () => {
    const attempt = () =>
      parseNodesFile(
        {
          nodes: [
            { host: 'a', user: 'u', privateKey: 'k' },
            { host: '', port: 70000, user: 'u', workers: 0, shell: 'zsh' },
          ],
        },
        'nodes.json',
      );
    expect(attempt).toThrow(NodeSettingsError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('nodes.json: invalid node settings');
    expect(message).toContain('nodes[1].host: expected a host name or address, got an empty string');
    expect(message).toContain('nodes[1].port: expected a port between 1 and 65535');
    expect(message).toContain('nodes[1].workers: expected at least 1 worker');
    expect(message).toContain('nodes[1]: unknown field "shell"');
    expect(() => parseNodesFile([{ host: 'a', user: 'u' }])).toThrow(
      'nodes[0]: expected "privateKey" (a key file path) or "agent" (true or a socket path) to authenticate',
    );
  });

  it('fills defaults and resolves key paths against the file folder', () => {
    const file = parseNodesFile({ knownHosts: 'kh', nodes: [{ host: 'h', user: 'u', privateKey: 'keys/id' }] }, 'x', '/etc/sciope');
    expect(file.knownHosts).toBe('/etc/sciope/kh');
    expect(file.nodes[0]).toMatchObject({ port: 22, remoteDir: '~/.cache/sciope', nodePath: 'node', privateKey: '/etc/sciope/keys/id' });
  });
});

describe('known_hosts', () => {
  const key = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
  const other = Buffer.concat([key.subarray(0, 19), Buffer.alloc(32, 9)]);
  const b64 = key.toString('base64');

  it('matches plain names, [host]:port, wildcards and negations', () => {
    const entries = parseKnownHosts(`# comment\n[node1]:2222 ssh-ed25519 ${b64}\n*.lab,!bad.lab ssh-ed25519 ${b64}\n`);
    expect(checkHostKey(entries, 'node1', 2222, key).status).toBe('known');
    expect(checkHostKey(entries, 'node1', 22, key).status).toBe('unknown');
    expect(checkHostKey(entries, 'c1.lab', 22, key).status).toBe('known');
    expect(checkHostKey(entries, 'bad.lab', 22, key).status).toBe('unknown');
    expect(checkHostKey(entries, 'c1.lab', 22, other).status).toBe('changed');
  });

  it('honours @revoked and prints OpenSSH fingerprints', () => {
    expect(checkHostKey(parseKnownHosts(`@revoked * ssh-ed25519 ${b64}`), 'x', 22, key).status).toBe('revoked');
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe.skipIf(!sshdAvailable)(`SSH pre-flight against a private sshd${sshdAvailable ? '' : ` (skipped: ${SSHD_MISSING})`}`, () => {
  let server: SshServer;
  let bare: SshServer;
  beforeAll(async () => {
    // `bare` is a node whose login PATH has no node at all, as on a machine where Node was never installed.
    [server, bare] = await Promise.all([startSshd(), startSshd({ path: '/usr/local/nonexistent' })]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), bare?.stop()]);
  });
  const hostFingerprint = () => fingerprint(Buffer.from(server.hostPublicKey.split(' ')[1], 'base64'));
  const errorOf = (report: NodeReport) => {
    expect(report.ok).toBe(false);
    expect(report.error).toBeInstanceOf(RemoteNodeError);
    return report.error!;
  };

  it('reports Node version, cores and the verified host key per node', async () => {
    const [report] = await checkNodes([server.node()], { knownHosts: server.knownHosts });
    expect(report).toMatchObject({
      node: `${server.user}@127.0.0.1:${server.port}`,
      ok: true,
      nodeVersion: process.version,
      cores: availableParallelism(),
      workers: availableParallelism(),
    });
    expect(report.hostKey).toBe(`ED25519 ${hostFingerprint()}`);
    const [two] = await checkNodes([server.node({ workers: 3, name: 'lab' })], { knownHosts: server.knownHosts });
    expect(two).toMatchObject({ node: 'lab', ok: true, workers: 3 });
  });

  it('accepts a hashed known_hosts entry (ssh-keygen -H)', async () => {
    const hashed = join(server.dir, 'known_hosts_hashed');
    writeFileSync(hashed, readFileSync(server.knownHosts));
    await run('ssh-keygen', ['-q', '-H', '-f', hashed]);
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    const [report] = await checkNodes([server.node()], { knownHosts: hashed });
    expect(report.ok).toBe(true);
  });

  it('an unknown host: the fingerprint and how to trust it', async () => {
    const empty = join(server.dir, 'known_hosts_empty');
    writeFileSync(empty, '');
    const error = errorOf((await checkNodes([server.node()], { knownHosts: empty }))[0]);
    expect(error.reason).toBe('unknown-host');
    expect(error.message).toContain(
      `unknown host: the server offered ED25519 key ${hostFingerprint()}, which ${empty} does not list for [127.0.0.1]:${server.port}`,
    );
    expect(error.message).toContain(`ssh-keyscan -p ${server.port} -t ed25519 127.0.0.1 >> ${empty}`);
    expect(error.message).toContain(`ssh -p ${server.port} -o UserKnownHostsFile=${empty} ${server.user}@127.0.0.1`);
  });

  it('a changed host key is refused, and a pool never starts work there', async () => {
    const wrong = join(server.dir, 'known_hosts_wrong');
    writeFileSync(wrong, `[127.0.0.1]:${server.port} ${await otherPublicKey(server.dir)}\n`);
    const error = errorOf((await checkNodes([server.node()], { knownHosts: wrong }))[0]);
    expect(error.reason).toBe('host-key-changed');
    expect(error.message).toMatch(/refusing to connect: the host key has CHANGED/);
    expect(error.message).toContain(`${wrong} line 1 holds ED25519 key`);
    expect(error.message).toContain(`ssh-keygen -R '[127.0.0.1]:${server.port}' -f ${wrong}`);

    const pool = new SshNodePool({ nodes: [server.node()], knownHosts: wrong });
    const job = {
      model: getExample('birth-death')!,
      method: 'ssa' as const,
      time: [0, 1],
      parameterIds: [],
      runsPerTrial: 1,
      statistics: null,
      returnTrajectories: true,
      seed: 1,
    };
    const failure = pool.map(job, [{ index: 0, parameters: new Float64Array(0), stream: [0] }]);
    await expect(failure).rejects.toThrow(/every SSH node was lost or unavailable; 0 of 1 trials done:\n.*host key has CHANGED/);
    await expect(failure).rejects.toMatchObject({ code: 'REMOTE_NODE', reason: 'all-lost' });
    await pool.close();
  });

  it('a node without node on its PATH is reported clearly', async () => {
    const error = errorOf((await checkNodes([bare.node()], { knownHosts: bare.knownHosts }))[0]);
    expect(error.reason).toBe('node-missing');
    expect(error.message).toMatch(/Node\.js was not found on the PATH of a non-interactive SSH login/);
    expect(error.message).toContain('Install Node.js >= 20 on the node, or set "nodePath"');
    // The way out it suggests works: an absolute nodePath.
    const [fixed] = await checkNodes([bare.node({ nodePath: process.execPath })], { knownHosts: bare.knownHosts });
    expect(fixed).toMatchObject({ ok: true, nodeVersion: process.version });
  });

  it('a nodePath that does not exist, or a Node that is too old', async () => {
    const oldNode = join(server.dir, 'node18');
    writeFileSync(oldNode, '#!/bin/sh\necho v18.19.1\n');
    chmodSync(oldNode, 0o755);
    const [missing, old] = await checkNodes([server.node({ nodePath: '/opt/none/bin/node' }), server.node({ nodePath: oldNode })], {
      knownHosts: server.knownHosts,
    });
    expect(errorOf(missing).message).toMatch(/Node\.js was not found at "\/opt\/none\/bin\/node"/);
    expect(errorOf(old).reason).toBe('node-too-old');
    expect(errorOf(old).message).toContain('Node.js v18.19.1 is too old; the worker needs Node.js >= 20');
  });

  it('bad credentials and closed ports are named', async () => {
    const stranger = join(server.dir, 'stranger');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const [auth, closed] = await checkNodes([server.node({ privateKey: stranger }), server.node({ port: 1 })], {
      knownHosts: server.knownHosts,
      connectTimeoutMs: 5000,
    });
    expect(errorOf(auth).reason).toBe('auth');
    expect(errorOf(auth).message).toContain(`authentication failed as "${server.user}" with the key ${stranger}`);
    expect(errorOf(closed).message).toMatch(/cannot connect: connection refused/);
  });
});
