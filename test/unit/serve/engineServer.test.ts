import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EngineService, type EngineEvent } from '../../../engine/api/index.js';
import { startEngineServer, type RunningServer } from '../../../engine/serve/EngineServer.js';

/** A raw HTTP request, so the Host header can be forged as a DNS-rebinding page would. */
function raw(
  port: number,
  options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('sciope serve (EngineServer)', () => {
  let dir: string;
  let service: EngineService;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-serve-'));
    const staticDir = join(dir, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    service = new EngineService({ configDir: join(dir, 'config'), workers: 1, log: () => {} });
    server = await startEngineServer({ service, port: 0, staticDir });
  });

  afterAll(async () => {
    await server.close();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers API calls only with the token', async () => {
    const call = (token?: string) =>
      raw(server.port, {
        method: 'POST',
        path: '/api/app.info',
        headers: token ? { authorization: `Bearer ${token}`, 'content-type': 'application/json' } : {},
        body: '{}',
      });
    const refused = await call();
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORISED' } });
    expect((await call('x'.repeat(43))).status).toBe(401);
    const ok = await call(server.token);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { project: null } });
  });

  it('refuses a forged Host header (DNS rebinding) and non-POST API calls', async () => {
    const rebinding = await raw(server.port, {
      method: 'POST',
      path: '/api/app.info',
      host: 'evil.example:80',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(rebinding.status).toBe(421);
    expect((await raw(server.port, { path: '/api/app.info' })).status).toBe(405);
  });

  it('reports a malformed body and validation errors as values', async () => {
    const headers = { authorization: `Bearer ${server.token}` };
    const bad = await raw(server.port, { method: 'POST', path: '/api/projects.open', headers, body: '{oops' });
    expect(bad.status).toBe(400);
    const invalid = await raw(server.port, { method: 'POST', path: '/api/projects.open', headers, body: '{"path": 3}' });
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'path' }] } } });
  });

  it('serves the renderer but nothing outside its folder', async () => {
    const index = await raw(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>app</title>');
    expect((await raw(server.port, { path: '/../secret.txt' })).status).toBe(404);
    expect((await raw(server.port, { path: '/%2e%2e/secret.txt' })).status).toBe(404);
  });

  it('streams engine events over a WebSocket that needs the token and our origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/events`;
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow();
    await expect(connect(`${base}?token=${server.token}`, 'https://evil.example')).rejects.toThrow();
    const ws = await connect(`${base}?token=${server.token}`, `http://127.0.0.1:${server.port}`);
    const received = new Promise<EngineEvent>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    await service.call('projects.create', { path: join(dir, 'events.sciope') });
    expect(await received).toMatchObject({ type: 'project.changed', project: { name: 'events' } });
    ws.close();
  });
});
