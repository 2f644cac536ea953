import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

/**
 * main/utilityProcessHost.ts: how main starts the engine's utility process
 * and hands it the bridge's port. Electron's utilityProcess and
 * MessageChannelMain are stand-ins that record what main does with them.
 */

const electron = vi.hoisted(() => {
  class FakePort {
    readonly posted: unknown[] = [];
    closed = false;
    started = false;
    postMessage(message: unknown) {
      this.posted.push(message);
    }
    on() {
      return this;
    }
    start() {
      this.started = true;
    }
    close() {
      this.closed = true;
    }
  }
  const forks: Array<{ entry: string; args: unknown; options: Record<string, unknown>; child: unknown }> = [];
  const channels: Array<{ port1: FakePort; port2: FakePort }> = [];
  return { FakePort, forks, channels };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class UtilityChild extends Emitter {
    readonly messages: Array<{ message: unknown; transfer: unknown[] }> = [];
    kills = 0;
    postMessage(message: unknown, transfer: unknown[] = []) {
      this.messages.push({ message, transfer });
    }
    kill() {
      this.kills += 1;
      return true;
    }
  }
  return {
    MessageChannelMain: class {
      port1 = new electron.FakePort();
      port2 = new electron.FakePort();
      constructor() {
        electron.channels.push(this);
      }
    },
    utilityProcess: {
      fork: (entry: string, args: unknown, options: Record<string, unknown>) => {
        const child = new UtilityChild();
        electron.forks.push({ entry, args, options, child });
        return child;
      },
    },
  };
});

const { launchUtilityProcessHost } = await import('../../../main/utilityProcessHost.js');
const { CONNECT } = await import('../../../main/electronPort.js');

interface Child extends EventEmitter {
  messages: Array<{ message: unknown; transfer: unknown[] }>;
  kills: number;
}

describe('launchUtilityProcessHost', () => {
  it('forks the entry, transfers one end of a channel with the connect message, and keeps the other', () => {
    const connection = launchUtilityProcessHost('/app/out/main/engineHost.js');
    const [fork] = electron.forks;
    expect(fork).toMatchObject({ entry: '/app/out/main/engineHost.js', args: [], options: { serviceName: 'Sciope engine', stdio: 'inherit' } });
    const child = fork.child as Child;
    expect(child.messages).toHaveLength(1);
    expect(child.messages[0].message).toEqual({ kind: CONNECT });
    expect(child.messages[0].transfer).toHaveLength(1);
    const [{ port1, port2 }] = electron.channels;
    expect(child.messages[0].transfer[0]).toBe(port2);
    // Main's end carries the bridge: what main posts goes on the port it kept.
    connection.port.post({ kind: 'close' });
    expect(port1.posted).toEqual([{ kind: 'close' }]);
    expect(port2.posted).toEqual([]);
    connection.port.listen(() => {});
    expect(port1.started).toBe(true);

    const codes: Array<number | null> = [];
    connection.onExit((code) => codes.push(code));
    connection.kill();
    expect(child.kills).toBe(1);
    child.emit('exit', 0);
    expect(codes).toEqual([0]);
    expect(port1.closed).toBe(true);
    // An ended process is not killed again.
    connection.kill();
    expect(child.kills).toBe(1);
  });
});
