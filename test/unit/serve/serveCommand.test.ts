import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sciope } from '../cli/runSciope.js';

const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sciope-serve-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sciope serve', () => {
  it('prints its URL first, opens the project, stops on SIGTERM, and explains a port in use', async () => {
    const project = join(dir, 'p.sciope');
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--project', project, '--config-dir', join(dir, 'config')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.once('data', (line: string) => resolve(line.trim()));
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    expect(url).toMatch(/^Sciope Desktop engine serving http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const address = url.split(' ').pop()!;
    const token = new URL(address).searchParams.get('token')!;
    const info = await (await fetch(new URL('/api/app.info', address), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' })).json();
    expect(info).toMatchObject({ ok: true, value: { project: { path: project } } });
    const port = new URL(address).port;
    const second = await sciope('serve', '--port', port, '--config-dir', join(dir, 'config2'));
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
