import { exec, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { RemoteNodeError } from '../../../errors/index.js';
import type { ExecResult, NodeConnection } from '../../ssh/connection.js';
import type { NodeSettings } from '../../ssh/nodeSettings.js';

/**
 * The part of an ssh2 exec channel a NodeSession uses, over a local child
 * process (`/bin/sh -c command`): stdout as 'data', `stderr`, 'exit' with
 * (code, signal name without SIG), 'close', write/end to stdin, signal().
 */
class ProcessChannel extends EventEmitter {
  readonly stderr: Readable;

  constructor(private readonly child: ChildProcess) {
    super();
    this.stderr = child.stderr!;
    child.stdout!.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // A worker that died while we wrote: its 'exit' and 'close' tell the session.
    child.stdin!.on('error', () => undefined);
    child.once('error', (error) => {
      this.stderr.emit('data', Buffer.from(`${error.message}\n`));
      this.emit('exit', 127);
      this.emit('close');
    });
    child.once('exit', (code, signal) => this.emit('exit', code, signal ? signal.replace(/^SIG/, '') : undefined));
    child.once('close', () => this.emit('close'));
  }

  write(data: Buffer): boolean {
    return this.child.stdin!.write(data);
  }

  end(data?: Buffer): this {
    this.child.stdin!.end(data);
    return this;
  }

  signal(name: string): void {
    this.child.kill(`SIG${name}` as NodeJS.Signals);
  }

  close(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * A NodeConnection whose commands run on this host through /bin/sh rather
 * than over SSH: how a batch job's coordinator, already on the cluster,
 * starts its srun worker steps and speaks the framed protocol over their
 * stdio (no SSH inside the allocation). SFTP is not offered: nothing is
 * uploaded from inside a job.
 */
export function localConnection(node: NodeSettings, label: string): NodeConnection {
  const client = new EventEmitter();
  const children = new Set<ChildProcess>();
  return {
    node,
    label,
    // NodeSession listens for the connection's 'close'; a local host never goes away under us.
    client: client as unknown as NodeConnection['client'],
    hostKey: `local ${hostname()}`,
    async spawn(command) {
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      child.once('close', () => children.delete(child));
      return new ProcessChannel(child) as unknown as ClientChannel;
    },
    exec(command, timeoutMs = 30_000) {
      return new Promise<ExecResult>((resolve) => {
        exec(command, { shell: '/bin/sh', timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
          const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null) : 0;
          resolve({ code, stdout, stderr });
        });
      });
    },
    sftp() {
      return Promise.reject(new RemoteNodeError(label, 'deploy', `${label}: no SFTP inside a batch job (the worker is already on the shared filesystem)`));
    },
    close() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      client.emit('close');
    },
  };
}
