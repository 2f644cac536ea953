import { describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../../../engine/api/contract.js';

/** main/preload.ts's `call`: main answers with the engine's UTF-8 JSON (main/ipc.ts); the preload decodes it for the page. */

const exposed = vi.hoisted(() => ({ api: null as PreloadBridge | null, invoked: [] as unknown[][] }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_key: string, api: PreloadBridge) => (exposed.api = api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      exposed.invoked.push(args);
      return Promise.resolve(new TextEncoder().encode('{"ok":true,"value":{"runs":[1,null]}}'));
    },
    on: () => {},
    removeListener: () => {},
  },
}));
vi.stubGlobal('__SCIOPE_VERSION__', '0.0.0-test');

describe('the preload bridge', () => {
  it('sends sciope:call and gives the page the decoded outcome', async () => {
    await import('../../../main/preload.js');
    expect(await exposed.api!.call('runs.list', {})).toEqual({ ok: true, value: { runs: [1, null] } });
    expect(exposed.invoked).toEqual([['sciope:call', 'runs.list', {}]]);
  });
});
