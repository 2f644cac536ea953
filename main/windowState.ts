import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Rectangle } from 'electron';

/** The main window's size and place, saved in userData/window-state.json between sessions. */
export interface WindowState {
  readonly bounds: Rectangle;
  readonly maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
const MIN_SIZE = { width: 640, height: 480 } as const;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000;

/** Read the saved state; null when absent, unreadable or malformed (the window then opens at its default size). */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as { bounds?: Record<string, unknown>; maximized?: unknown };
    const b = raw.bounds ?? {};
    if (![b.x, b.y, b.width, b.height].every(isInt)) return null;
    const bounds = {
      x: b.x as number,
      y: b.y as number,
      width: Math.max(MIN_SIZE.width, b.width as number),
      height: Math.max(MIN_SIZE.height, b.height as number),
    };
    return { bounds, maximized: raw.maximized === true };
  } catch {
    return null;
  }
}

/** Synchronous on purpose: it runs as the window closes, possibly just before the process exits (a few hundred bytes). */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * True when enough of `bounds` lies on one of the displays' work areas that
 * the user can grab the window (at least 100 x 50 pixels of it), so a window
 * saved on a monitor that has since been unplugged opens at the default place.
 */
export function isVisibleOnSomeDisplay(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  return workAreas.some((area) => {
    const width = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const height = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return width >= 100 && height >= 50;
  });
}
