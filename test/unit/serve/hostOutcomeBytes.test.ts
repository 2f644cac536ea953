import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../../engine/api/contract.js';
import { startEngineServer } from '../../../engine/serve/EngineServer.js';

/**
 * An engine endpoint with `invokeEncoded` (the engine host client: the engine
 * in its own process) has its outcome sent as the host's UTF-8 JSON, byte for
 * byte: the server neither decodes nor re-encodes it on its loop.
 */
describe('sciope serve with an engine host', () => {
  it('sends the bytes of invokeEncoded as they are, and never calls invoke', async () => {
    const text = '{"ok":true,"value":{"data":[1.5,null,3],"name":"Größe"}}';
    const seen: Array<[string, unknown]> = [];
    const server = await startEngineServer({
      port: 0,
      token: 't'.repeat(43),
      service: {
        invoke: (): Promise<CallOutcome> => {
          throw new Error('invoke must not be called when invokeEncoded is there');
        },
        invokeEncoded: (method, args) => {
          seen.push([method, args]);
          return Promise.resolve(new TextEncoder().encode(text));
        },
        onEvent: () => () => {},
      },
    });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/runs.list`, {
        method: 'POST',
        headers: { authorization: `Bearer ${'t'.repeat(43)}`, 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.text()).toBe(text);
      expect(seen).toEqual([['runs.list', { a: 1 }]]);
    } finally {
      await server.close();
    }
  });
});
