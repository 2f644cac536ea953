import type { BrowserWindow, MessageBoxOptions } from 'electron';
import type { HostCrash } from '../engine/api/host/EngineHostClient.js';

/** The message box main shows when the engine's utility process ended without being asked to (pure: no Electron call). */
export function engineCrashDialogOptions(crash: HostCrash): MessageBoxOptions {
  const stopped = [
    ...crash.interruptedRuns.map((id) => `run ${id} (interrupted: resume it from the Runs view)`),
    ...crash.failedTrainings.map((id) => `training ${id}`),
  ];
  const lines = [
    crash.code === null ? 'The engine process ended.' : `The engine process ended with exit code ${crash.code}.`,
    crash.project
      ? `Your project ${crash.project} is saved up to its last completed step; it reopens with your next action.`
      : 'It restarts with your next action.',
  ];
  if (stopped.length > 0) lines.push(`Stopped: ${stopped.join(', ')}.`);
  return { type: 'error', title: 'The engine stopped', message: 'The engine stopped unexpectedly', detail: lines.join('\n'), buttons: ['OK'], noLink: true };
}

export interface CrashReportHost {
  window(): BrowserWindow | null;
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<unknown>;
}

/** Tell the person at the window, one box at a time: a host that crashes again while a box is open adds none. */
export function engineCrashReporter(host: CrashReportHost): (crash: HostCrash) => void {
  let open = false;
  return (crash) => {
    console.error(`sciope: the engine host ended unexpectedly (exit code ${crash.code ?? 'unknown'})`);
    const win = host.window();
    if (open || !win || win.isDestroyed()) return;
    open = true;
    void host
      .showMessageBox(win, engineCrashDialogOptions(crash))
      .catch((error: unknown) => console.error('sciope: could not show the engine crash dialog:', error))
      .finally(() => (open = false));
  };
}
