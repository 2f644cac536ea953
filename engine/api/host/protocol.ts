import { z } from 'zod';
import type { ApprovalRequest } from '../../trust/types.js';
import type { EngineEvent } from '../contract.js';

/**
 * The messages between a front door (Electron main, or any parent) and the
 * engine host, the process or thread that runs the EngineService. Plain
 * objects, carried by a MessagePort (Electron's MessagePortMain, Node's
 * worker_threads port) or a child process's IPC channel.
 *
 * Front door to host: `init` (first, once), `call`, `approval.answer`, `close`.
 * Host to front door: `ready`, `result`, `event`, `approval.ask`,
 * `approval.announce`, `closed`.
 *
 * A result travels as JSON in UTF-8 bytes: the host serialises and encodes
 * it on its own thread, and the front door hands the bytes on (to the
 * renderer, to an HTTP response) without decoding, or even re-encoding, a
 * result that may hold millions of numbers (test/bench/serveLoop.bench.ts:
 * writing a 15 MiB answer given as a string cost the server's loop
 * 0.5-0.8 s under this machine's load, in UTF-8 encoding alone).
 * Each side checks what it receives with the schemas below (a message that
 * fails one is dropped and logged): the host runs no code of its own choice
 * in the front door, and the front door's approval dialog shows only
 * well-formed requests.
 */

/** How the host's EngineService asks for approvals: through the front door (dialog or terminal code) or not at all. */
export type HostApprovalKind = 'dialog' | 'code' | 'none';

export interface HostInit {
  readonly kind: 'init';
  /** Folder for machine-level settings and approvals (EngineServiceOptions.configDir). */
  readonly configDir: string;
  /** Worker threads of the local pool (EngineServiceOptions.workers); the stored setting when absent. */
  readonly workers?: number;
  readonly approval: HostApprovalKind;
}

export type ToHost =
  | HostInit
  | { readonly kind: 'call'; readonly id: number; readonly method: string; readonly args: unknown }
  | { readonly kind: 'approval.answer'; readonly id: number; readonly approved: boolean }
  | { readonly kind: 'close' };

export type FromHost =
  | { readonly kind: 'ready' }
  /** `outcome` is a CallOutcome as JSON, UTF-8 encoded. */
  | { readonly kind: 'result'; readonly id: number; readonly outcome: Uint8Array }
  | { readonly kind: 'event'; readonly event: EngineEvent }
  | { readonly kind: 'approval.ask'; readonly id: number; readonly request: ApprovalRequest }
  | { readonly kind: 'approval.announce'; readonly request: ApprovalRequest; readonly code: string }
  | { readonly kind: 'closed' };

const callId = z.number().int().nonnegative();

const hostInit = z.strictObject({
  kind: z.literal('init'),
  configDir: z.string().min(1).max(4096),
  workers: z.number().int().min(1).max(1024).optional(),
  approval: z.enum(['dialog', 'code', 'none']),
});

const toHost = z.discriminatedUnion('kind', [
  hostInit,
  z.strictObject({ kind: z.literal('call'), id: callId, method: z.string().max(100), args: z.unknown() }),
  z.strictObject({ kind: z.literal('approval.answer'), id: callId, approved: z.boolean() }),
  z.strictObject({ kind: z.literal('close') }),
]);

// What the dialog and the terminal show of a request (main/approvalDialog.ts, serve/terminalApprovalChannel.ts);
// the description's other fields pass through as the engine described them.
const approvalRequest = z.object({
  scope: z.string().min(1).max(4096),
  text: z.string().max(1_000_000),
  description: z.looseObject({ kind: z.enum(['module', 'command']), fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }),
});

const fromHost = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ready') }),
  z.strictObject({ kind: z.literal('result'), id: callId, outcome: z.instanceof(Uint8Array) }),
  z.strictObject({ kind: z.literal('event'), event: z.looseObject({ type: z.string() }) }),
  z.strictObject({ kind: z.literal('approval.ask'), id: callId, request: approvalRequest }),
  z.strictObject({ kind: z.literal('approval.announce'), request: approvalRequest, code: z.string().regex(/^\d{4}-\d{4}$/) }),
  z.strictObject({ kind: z.literal('closed') }),
]);

/** The init message, or null when `message` is not one. */
export function parseHostInit(message: unknown): HostInit | null {
  const parsed = hostInit.safeParse(message);
  return parsed.success ? (parsed.data as HostInit) : null;
}

/** A message for the host, or null when `message` is not one. */
export function parseToHost(message: unknown): ToHost | null {
  const parsed = toHost.safeParse(message);
  return parsed.success ? (parsed.data as ToHost) : null;
}

/** A message from the host, or null when `message` is not one. */
export function parseFromHost(message: unknown): FromHost | null {
  const parsed = fromHost.safeParse(message);
  return parsed.success ? (parsed.data as unknown as FromHost) : null;
}

/** A short, log-safe description of a message that failed its schema. */
export function describeRefused(message: unknown): string {
  const kind = typeof message === 'object' && message !== null ? (message as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? `a malformed "${kind.slice(0, 40)}" message` : `a message of type ${message === null ? 'null' : typeof message}`;
}
