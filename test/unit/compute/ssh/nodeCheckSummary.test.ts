import { describe, expect, it } from 'vitest';
import { summariseNodeCheck } from '../../../../engine/compute/ssh/nodeCheckSummary.js';
import { RemoteNodeError } from '../../../../engine/errors/index.js';

describe('summariseNodeCheck', () => {
  it('says ready with the Node version and workers, and keeps the other facts', () => {
    const summary = summariseNodeCheck({ node: 'me@a:22', ok: true, hostKey: 'ED25519 SHA256:x', nodeVersion: 'v22.3.0', cores: 8, workers: 7, connectMs: 40 });
    expect(summary).toEqual({
      node: 'me@a:22',
      ok: true,
      message: 'ready: Node v22.3.0, 7 workers',
      facts: { hostKey: 'ED25519 SHA256:x', nodeVersion: 'v22.3.0', cores: 8, workers: 7, connectMs: 40 },
    });
  });

  it('says what went wrong, from the node error, without the error among the facts', () => {
    const error = new RemoteNodeError('me@b:22', 'auth', 'me@b:22: authentication failed (publickey)');
    const summary = summariseNodeCheck({ node: 'me@b:22', ok: false, connectMs: 12, error });
    expect(summary).toEqual({ node: 'me@b:22', ok: false, message: 'me@b:22: authentication failed (publickey)', facts: { connectMs: 12 } });
    expect(summariseNodeCheck({ node: 'me@c:22', ok: false }).message).toBe('check failed');
  });
});
