import { BrowserWindow, dialog, ipcMain } from 'electron';
import type { IpcMainInvokeEvent, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { z } from 'zod';
import { API_METHODS, type CallOutcome, type EngineEvent } from '../engine/api/contract.js';

/**
 * The IPC channels, all of them. Renderer to main: `sciope:call` (an
 * EngineApi method) and `sciope:dialog` (a native file dialog). Main to
 * renderer: `sciope:event` (engine events) and `sciope:menu` (menu commands).
 * main/preload.ts forwards exactly these and nothing else.
 */
export const CHANNELS = { call: 'sciope:call', dialog: 'sciope:dialog', event: 'sciope:event', menu: 'sciope:menu' } as const;

/**
 * What main needs from the engine (engine/api/host/EngineHostClient.ts, whose
 * engine runs in a utility process). `invokeEncoded` answers with the outcome
 * as the engine's UTF-8 JSON: main hands the bytes to the renderer undecoded
 * (the preload parses them), so a large result never costs main's thread a
 * decode and a re-encode, and the renderer gets exactly what web mode gets
 * over HTTP.
 */
export interface EngineLike {
  invokeEncoded(method: string, args: unknown): Promise<Uint8Array>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

const methods: ReadonlySet<string> = new Set(API_METHODS);
const methodSchema = z
  .string()
  .max(100)
  .refine((m) => methods.has(m), { error: 'unknown method' });

const extension = z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/, { error: 'expected an extension without a dot, or "*"' });
const dialogSchema = z.strictObject({
  title: z.string().max(200).optional(),
  filters: z
    .array(z.strictObject({ name: z.string().min(1).max(100), extensions: z.array(extension).min(1).max(20) }))
    .max(20)
    .optional(),
  save: z.boolean().optional(),
  defaultPath: z.string().max(4096).optional(),
});
export type FileDialogOptions = z.infer<typeof dialogSchema>;

/**
 * Where IPC may come from: the top frame of our one window, showing our own
 * page (`isAppUrl`). Anything else (another window, an iframe, a page the
 * window was somehow navigated to) is refused before its arguments are read.
 */
export interface TrustedSender {
  window(): BrowserWindow | null;
  isAppUrl(url: string): boolean;
}

function isTrusted(event: IpcMainInvokeEvent, trusted: TrustedSender): boolean {
  const win = trusted.window();
  if (!win || win.isDestroyed() || event.sender.id !== win.webContents.id) return false;
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && trusted.isAppUrl(frame.url);
}

function refuse(channel: string, event: IpcMainInvokeEvent): never {
  console.warn(`sciope: refused ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'unknown frame'})`);
  throw new Error(`${channel}: refused: not the Sciope window`);
}

/** Register the handlers of `sciope:call` and `sciope:dialog`, and forward engine events to the window. Returns an undo. */
export function registerIpc(engine: EngineLike, trusted: TrustedSender): () => void {
  // Answers a CallOutcome as UTF-8 JSON (main/preload.ts parses it).
  ipcMain.handle(CHANNELS.call, (event, method: unknown, args: unknown): Promise<Uint8Array> => {
    if (!isTrusted(event, trusted)) refuse(CHANNELS.call, event);
    const checked = methodSchema.safeParse(method);
    if (!checked.success) {
      const shown = typeof method === 'string' ? `"${method.slice(0, 100)}"` : typeof method;
      const refused: CallOutcome = { ok: false, error: { name: 'ApiArgumentError', code: 'UNKNOWN_METHOD', message: `unknown method ${shown}`, details: {} } };
      return Promise.resolve(new TextEncoder().encode(JSON.stringify(refused)));
    }
    // The engine validates `args` against the method's zod schema and never throws.
    return engine.invokeEncoded(checked.data, args);
  });

  ipcMain.handle(CHANNELS.dialog, async (event, options: unknown): Promise<string | null> => {
    if (!isTrusted(event, trusted)) refuse(CHANNELS.dialog, event);
    const parsed = dialogSchema.safeParse(options ?? {});
    if (!parsed.success) throw new Error(`${CHANNELS.dialog}: invalid options: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    return showFileDialog(BrowserWindow.fromWebContents(event.sender), parsed.data);
  });

  const unsubscribe = engine.onEvent((engineEvent) => {
    const win = trusted.window();
    if (win && !win.isDestroyed()) win.webContents.send(CHANNELS.event, engineEvent);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(CHANNELS.call);
    ipcMain.removeHandler(CHANNELS.dialog);
  };
}

/** A native open or save dialog, modal to `parent`; the chosen path, or null when cancelled. */
export async function showFileDialog(parent: BrowserWindow | null, options: FileDialogOptions): Promise<string | null> {
  const common = { title: options.title, defaultPath: options.defaultPath, filters: options.filters };
  if (options.save) {
    const saveOptions: SaveDialogOptions = { ...common, properties: ['createDirectory', 'showOverwriteConfirmation'] };
    const result = parent ? await dialog.showSaveDialog(parent, saveOptions) : await dialog.showSaveDialog(saveOptions);
    return result.canceled || !result.filePath ? null : result.filePath;
  }
  const openOptions: OpenDialogOptions = { ...common, properties: ['openFile'] };
  const result = parent ? await dialog.showOpenDialog(parent, openOptions) : await dialog.showOpenDialog(openOptions);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}
