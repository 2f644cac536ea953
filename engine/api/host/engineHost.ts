import { EngineService, type EngineServiceOptions } from '../EngineService.js';
import type { ApprovalChannel, ApprovalRequest } from '../../trust/types.js';
import type { CallOutcome, EngineEvent } from '../contract.js';
import type { BridgePort } from './BridgePort.js';
import { describeRefused, parseHostInit, parseToHost, type FromHost, type HostInit } from './protocol.js';

/** What the host needs of the engine: an EngineService, or a stand-in in tests. */
export type HostedService = Pick<EngineService, 'invoke' | 'onEvent' | 'close'>;

export interface EngineHostOptions {
  /** Builds the engine from the init message's settings; default `new EngineService(options)`. */
  readonly createService?: (options: EngineServiceOptions) => HostedService;
  /** Where refused messages and the engine's own faults are logged; default stderr. */
  readonly log?: (message: string) => void;
}

export interface RunningEngineHost {
  /** Settles once the front door asked to close and the engine has closed (runs cancelled, workers stopped, project closed). */
  readonly closed: Promise<void>;
}

const encoder = new TextEncoder();

const closedOutcome: CallOutcome = {
  ok: false,
  error: { name: 'EngineHostError', code: 'ENGINE_CLOSED', message: 'the engine is shutting down', details: {} },
};

/**
 * The engine side of the bridge (protocol.ts): waits for `init` on `port`,
 * builds the EngineService, answers `call`s with their outcome as UTF-8 JSON
 * (serialised and encoded here, on the engine's thread), forwards engine events, and
 * closes the engine on `close`.
 *
 * Approvals: the EngineService gets a channel of the front door's kind whose
 * question goes back over the port (`approval.ask`, answered by
 * `approval.answer`; or `approval.announce` of a terminal code). Only the
 * front door holds the other end of the port; the renderer's calls reach
 * the host as `call` messages only, so nothing the renderer sends can
 * answer an approval.
 */
export function startEngineHost(port: BridgePort, options: EngineHostOptions = {}): RunningEngineHost {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const createService = options.createService ?? ((serviceOptions: EngineServiceOptions) => new EngineService(serviceOptions));
  const post = (message: FromHost) => port.post(message);
  const asks = new Map<number, (approved: boolean) => void>();
  let nextAsk = 1;
  let service: HostedService | null = null;
  let closing: Promise<void> | null = null;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const approvalChannel = (kind: HostInit['approval']): ApprovalChannel | undefined => {
    if (kind === 'dialog') {
      return {
        kind: 'dialog',
        confirm: (request: ApprovalRequest) =>
          new Promise<boolean>((resolve) => {
            const id = nextAsk++;
            asks.set(id, resolve);
            post({ kind: 'approval.ask', id, request });
          }),
      };
    }
    if (kind === 'code') return { kind: 'code', announce: (request, code) => post({ kind: 'approval.announce', request, code }) };
    return undefined;
  };

  const start = (init: HostInit) => {
    service = createService({ configDir: init.configDir, workers: init.workers, approvalChannel: approvalChannel(init.approval), log });
    service.onEvent((event: EngineEvent) => post({ kind: 'event', event }));
    post({ kind: 'ready' });
  };

  const close = async (engine: HostedService) => {
    // A question nobody will answer any more is a no.
    for (const answer of asks.values()) answer(false);
    asks.clear();
    try {
      await engine.close();
    } catch (error) {
      log(`sciope engine host: closing the engine failed: ${(error as Error)?.stack ?? String(error)}`);
    }
    post({ kind: 'closed' });
    markClosed();
  };

  port.listen((data) => {
    if (!service) {
      const init = parseHostInit(data);
      if (init) start(init);
      else log(`sciope engine host: refused ${describeRefused(data)} before init`);
      return;
    }
    const message = parseToHost(data);
    if (!message || message.kind === 'init') {
      log(`sciope engine host: refused ${message ? 'a second init' : describeRefused(data)}`);
      return;
    }
    const engine = service;
    switch (message.kind) {
      case 'call': {
        const { id, method, args } = message;
        const pending = closing ? Promise.resolve(closedOutcome) : engine.invoke(method, args);
        void pending.then((outcome) => post({ kind: 'result', id, outcome: encoder.encode(JSON.stringify(outcome)) }));
        return;
      }
      case 'approval.answer': {
        const answer = asks.get(message.id);
        asks.delete(message.id);
        answer?.(message.approved);
        return;
      }
      case 'close':
        closing ??= close(engine);
        return;
    }
  });

  return { closed };
}
