import { app, Menu, shell } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';

/**
 * Commands the application menu sends to the renderer over `sciope:menu`
 * (window.sciope.onMenuCommand). The renderer owns the flow behind each:
 * it opens file dialogs through window.sciope.openFileDialog and then calls
 * the EngineApi (projects.create, projects.open, models.importSbml,
 * runs.export).
 */
export type MenuCommand =
  | 'new-project' // New Project…: ask for a path (save dialog), then projects.create
  | 'open-project' // Open Project…: ask for a .sciope file, then projects.open
  | 'open-recent' // Open Recent ▸ item; payload: the project's path
  | 'import-sbml' // Import SBML…: ask for an SBML file, then models.importSbml
  | 'export-run'; // Export Run…: export the selected run (runs.export) to a chosen file

export interface MenuOptions {
  readonly dev: boolean;
  /** Projects for File ▸ Open Recent, most recent first (EngineApi projects.recent). */
  readonly recent: readonly string[];
  /** https address of the documentation; the Help item is disabled without one. */
  readonly documentationUrl: string | null;
  send(command: MenuCommand, payload?: unknown): void;
}

const isHttps = (url: string | null): url is string => {
  try {
    return url !== null && new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
};

export function buildMenu(options: MenuOptions): Menu {
  const { dev, recent, send } = options;
  const mac = process.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.slice(0, 10).map((path) => ({ label: basename(path), toolTip: path, click: () => send('open-recent', path) }))
    : [{ label: 'No Recent Projects', enabled: false }];

  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => send('new-project') },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => send('open-project') },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Import SBML…', accelerator: 'CmdOrCtrl+I', click: () => send('import-sbml') },
        { label: 'Export Run…', accelerator: 'CmdOrCtrl+E', click: () => send('export-run') },
        ...(mac ? [] : [{ type: 'separator' } satisfies MenuItemConstructorOptions, { role: 'quit' } satisfies MenuItemConstructorOptions]),
      ],
    },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        ...(dev
          ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        ...(mac ? [] : [{ label: `About ${app.name}`, click: () => app.showAboutPanel() } satisfies MenuItemConstructorOptions]),
        {
          label: 'Documentation',
          enabled: isHttps(options.documentationUrl),
          click: () => {
            // Only a fixed https address from package.json, never a URL from the renderer.
            if (isHttps(options.documentationUrl)) void shell.openExternal(options.documentationUrl);
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
