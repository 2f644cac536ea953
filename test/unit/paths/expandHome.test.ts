/**
 * `~` in paths people type (settings, JSON files, the app's path fields),
 * where no shell expands it: the SSH key and known_hosts of a node, an agent
 * socket, nodes.json entries, project paths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandHome } from '../../../engine/paths/index.js';
import { checkNodes, connectNode, parseNodeSettings, parseNodesFile } from '../../../engine/compute/ssh/index.js';
import { EngineService } from '../../../engine/api/index.js';

describe('expandHome', () => {
  it('expands ~ and ~/ only', () => {
    expect(expandHome('~', '/home/ana')).toBe('/home/ana');
    expect(expandHome('~/.ssh/id_ed25519', '/home/ana')).toBe('/home/ana/.ssh/id_ed25519');
    expect(expandHome('~/', '/home/ana')).toBe('/home/ana');
    expect(expandHome('~bob/.ssh/key', '/home/ana')).toBe('~bob/.ssh/key');
    expect(expandHome('/etc/~/x', '/home/ana')).toBe('/etc/~/x');
    expect(expandHome('keys/~', '/home/ana')).toBe('keys/~');
    expect(expandHome('~x', '/home/ana')).toBe('~x');
  });
});

describe('~ in typed paths', () => {
  let home: string;
  let saved: string | undefined;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'sciope-home-'));
    saved = process.env.HOME;
    process.env.HOME = home;
  });
  afterEach(() => {
    process.env.HOME = saved;
    rmSync(home, { recursive: true, force: true });
  });

  it('node settings from the app expand the key and agent socket, not the remote folder', () => {
    const node = parseNodeSettings({ host: 'h', user: 'u', privateKey: '~/.ssh/id_ed25519' });
    expect(node.privateKey).toBe(join(home, '.ssh/id_ed25519'));
    expect(node.remoteDir).toBe('~/.cache/sciope');
    expect(parseNodeSettings({ host: 'h', user: 'u', agent: '~/agent.sock' }).agent).toBe(join(home, 'agent.sock'));
    expect(parseNodeSettings({ host: 'h', user: 'u', agent: true }).agent).toBe(true);
  });

  it('a nodes file expands ~ in keys and known_hosts, and resolves the rest against its folder', () => {
    const file = parseNodesFile(
      {
        knownHosts: '~/.ssh/known_hosts',
        nodes: [
          { host: 'h', user: 'u', privateKey: '~/k' },
          { host: 'g', user: 'u', privateKey: 'rel/k' },
        ],
      },
      'nodes.json',
      '/base',
    );
    expect(file.knownHosts).toBe(join(home, '.ssh/known_hosts'));
    expect(file.nodes.map((n) => n.privateKey)).toEqual([join(home, 'k'), '/base/rel/k']);
  });

  it('a missing key is named by its expanded path, in the pool and in settings.checkNodes', async () => {
    const expected = join(home, '.ssh', 'id_ed25519');
    // Settings built in code (not parsed) still get it expanded where the key is read.
    const node = { ...parseNodeSettings({ host: '127.0.0.1', port: 1, user: 'u', privateKey: '/x' }), privateKey: '~/.ssh/id_ed25519' };
    await expect(connectNode(node)).rejects.toThrow(`cannot read the private key ${expected}:`);
    const [report] = await checkNodes([{ host: '127.0.0.1', port: 1, user: 'u', privateKey: '~/.ssh/id_ed25519' }]);
    expect(report.ok).toBe(false);
    expect(report.error?.message).toContain(`cannot read the private key ${expected}:`);
    expect(report.error?.message).not.toContain('~/');
  });

  it('projects.create and projects.open accept ~/', async () => {
    const service = new EngineService({ configDir: join(home, 'config'), workers: 1, log: () => {} });
    try {
      const created = await service.call('projects.create', { path: '~/p.sciope' });
      expect(created.path).toBe(join(home, 'p.sciope'));
      await service.call('projects.close');
      expect((await service.call('projects.open', { path: '~/p.sciope' })).path).toBe(join(home, 'p.sciope'));
    } finally {
      await service.close();
    }
  });
});
