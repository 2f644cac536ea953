import type { BrowserWindow, MessageBoxOptions } from 'electron';
import type { ApprovalChannel, ApprovalRequest } from '../engine/trust/types.js';

/**
 * The Electron side of the trust model (engine/trust): the engine asks
 * (EngineApi trust.request) and main answers with a native message box,
 * modal to the window. The renderer can ask, but it cannot see, move or
 * click that box, and nothing it sends approves on its own. Cancel is the
 * default button and the answer to Escape, so Enter held down or a stray
 * key press never approves.
 */

/** Button indices of the dialog. */
export const CANCEL = 0;
export const APPROVE = 1;

/** Longest line shown in full (a command line is one line); longer ones are cut with a count. */
export const MAX_LINE_CHARS = 1000;
/** Most lines shown; the rest (a long file list) are left out with a count, keeping the last TAIL_LINES. */
export const MAX_LINES = 30;
/** The last lines of the engine's text (the fingerprint and the warning) are always shown. */
const TAIL_LINES = 2;

// Characters that could break or disguise a line: controls (C0, C1, DEL; includes NUL, CR, TAB),
// format characters (bidi overrides and isolates, zero-width ones), line and paragraph separators,
// and lone surrogates. Line feeds are the text's line breaks and are split on first.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** `text` with every character that could break or disguise a line shown as \uXXXX. */
export function escapeForDialog(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `line` cut to `max` characters, with what was left out counted; `cut` says whether it was. */
function clip(line: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(line);
  if (chars.length <= max) return { text: line, cut: false };
  return { text: `${chars.slice(0, max).join('')}… [${chars.length - max} more characters not shown]`, cut: true };
}

/**
 * The dialog's detail: the engine's description of what will run
 * (request.text: command line, folder, environment, files with SHA-256,
 * fingerprint), one of its lines per line, each escaped (defence in depth:
 * the engine escapes the fields it prints) and cut at MAX_LINE_CHARS; at
 * most MAX_LINES lines, the left-out ones counted. Whatever is cut is said
 * so at the end, with the advice to cancel.
 */
export function approvalDetail(text: string): string {
  const clipped = text.split('\n').map((line) => clip(escapeForDialog(line), MAX_LINE_CHARS));
  let cut = clipped.some((line) => line.cut);
  let lines = clipped.map((line) => line.text);
  if (lines.length > MAX_LINES) {
    const head = lines.slice(0, MAX_LINES - TAIL_LINES - 1);
    const omitted = lines.length - head.length - TAIL_LINES;
    lines = [...head, `… [${omitted} more lines not shown]`, ...lines.slice(-TAIL_LINES)];
    cut = true;
  }
  if (cut) lines.push('', 'Part of this description is too long to show here. Cancel unless you know what this project runs.');
  return lines.join('\n');
}

/** The options of the approval message box for `request` (pure: no Electron call). */
export function approvalDialogOptions(request: ApprovalRequest): MessageBoxOptions {
  const project = clip(escapeForDialog(request.scope), 500).text;
  return {
    type: 'warning',
    title: 'Allow this project to run code?',
    // macOS shows no title: the message asks the question itself.
    message: `Allow the project “${project}” to run code on this computer?`,
    detail: approvalDetail(request.text),
    buttons: ['Cancel', 'Approve'],
    defaultId: CANCEL,
    cancelId: CANCEL,
    noLink: true,
  };
}

export interface ApprovalDialogHost {
  /** The window the dialog is modal to; without one (closed) the answer is no. */
  window(): BrowserWindow | null;
  /** dialog.showMessageBox (a parameter, so that the channel can be tested without Electron). */
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<{ response: number }>;
}

/**
 * The approval channel for EngineService (`approvalChannel`): a native
 * message box per request. One box at a time (requests wait their turn), and
 * a request for the same simulator and project while one is open shares its
 * answer rather than opening a second box.
 */
export function dialogApprovalChannel(host: ApprovalDialogHost): ApprovalChannel {
  const open = new Map<string, Promise<boolean>>();
  let queue: Promise<unknown> = Promise.resolve();

  const ask = async (request: ApprovalRequest): Promise<boolean> => {
    const win = host.window();
    if (!win || win.isDestroyed()) return false;
    const { response } = await host.showMessageBox(win, approvalDialogOptions(request));
    return response === APPROVE;
  };

  return {
    kind: 'dialog',
    confirm(request: ApprovalRequest): Promise<boolean> {
      const key = `${request.scope}\u0000${request.description.fingerprint}`;
      const pending = open.get(key);
      if (pending) return pending;
      const answer = queue
        .then(() => ask(request))
        .catch((error: unknown) => {
          console.error('sciope: the approval dialog failed:', error);
          return false;
        });
      queue = answer;
      open.set(key, answer);
      void answer.finally(() => open.delete(key));
      return answer;
    },
  };
}
