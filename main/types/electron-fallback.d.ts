/**
 * Minimal stand-in for the `electron` typings, used only when the optional
 * `electron` package is not installed (tsconfig.node.json `paths` tries
 * node_modules/electron first). Declares just what main/ uses, with the
 * signatures of Electron 38's electron.d.ts (main/ type-checks against both);
 * once Electron is installed its real electron.d.ts wins automatically.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the `any`s copy Electron's own signatures, so main/ type-checks the same against both */

export interface Event {
  preventDefault(): void;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Display {
  workArea: Rectangle;
}

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  experimentalFeatures?: boolean;
  webviewTag?: boolean;
  spellcheck?: boolean;
  disableBlinkFeatures?: string;
}

export interface BrowserWindowConstructorOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  title?: string;
  show?: boolean;
  webPreferences?: WebPreferences;
}

export interface WindowOpenHandlerResponse {
  action: 'allow' | 'deny';
}

export interface WebFrameMain {
  readonly url: string;
  readonly parent: WebFrameMain | null;
}

export interface WebContents {
  readonly id: number;
  readonly mainFrame: WebFrameMain;
  send(channel: string, ...args: any[]): void;
  getLastWebPreferences(): WebPreferences | null;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event) => void): this;
  on(event: 'will-attach-webview', listener: (event: Event, webPreferences: WebPreferences, params: Record<string, string>) => void): this;
}

export class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions);
  static getAllWindows(): BrowserWindow[];
  static fromWebContents(webContents: WebContents): BrowserWindow | null;
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  loadFile(filePath: string): Promise<void>;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isMaximized(): boolean;
  maximize(): void;
  restore(): void;
  focus(): void;
  show(): void;
  getNormalBounds(): Rectangle;
  once(event: 'ready-to-show', listener: () => void): this;
  on(event: 'close', listener: (event: Event) => void): this;
  on(event: 'closed', listener: () => void): this;
}

export interface AboutPanelOptionsOptions {
  applicationName?: string;
  applicationVersion?: string;
}

export interface App {
  readonly isPackaged: boolean;
  name: string;
  requestSingleInstanceLock(additionalData?: Record<any, any>): boolean;
  quit(): void;
  whenReady(): Promise<void>;
  getVersion(): string;
  getPath(name: 'userData' | 'home' | 'temp' | 'documents'): string;
  setPath(name: 'userData', path: string): void;
  setAboutPanelOptions(options: AboutPanelOptionsOptions): void;
  showAboutPanel(): void;
  on(event: 'window-all-closed' | 'activate', listener: () => void): this;
  on(event: 'before-quit', listener: (event: Event) => void): this;
  on(event: 'second-instance', listener: (event: Event, argv: string[], workingDirectory: string, additionalData: unknown) => void): this;
  on(event: 'open-file', listener: (event: Event, path: string) => void): this;
  on(event: 'web-contents-created', listener: (event: Event, webContents: WebContents) => void): this;
}

export const app: App;

export interface IpcMainInvokeEvent {
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}

export interface IpcMain {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => Promise<any> | any): void;
  removeHandler(channel: string): void;
}

export const ipcMain: IpcMain;

export interface IpcRendererEvent extends Event {
  readonly sender: IpcRenderer;
}

export interface IpcRenderer {
  invoke(channel: string, ...args: any[]): Promise<any>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): this;
  removeListener(channel: string, listener: (...args: any[]) => void): this;
}

export const ipcRenderer: IpcRenderer;

export interface ContextBridge {
  exposeInMainWorld(apiKey: string, api: any): void;
}

export const contextBridge: ContextBridge;

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface OpenDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: FileFilter[];
  properties?: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'showHiddenFiles' | 'createDirectory'>;
}

export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: FileFilter[];
  properties?: Array<'showHiddenFiles' | 'createDirectory' | 'showOverwriteConfirmation'>;
}

export interface MessageBoxOptions {
  message: string;
  type?: 'none' | 'info' | 'error' | 'question' | 'warning';
  buttons?: string[];
  defaultId?: number;
  title?: string;
  detail?: string;
  cancelId?: number;
  noLink?: boolean;
}

export interface Dialog {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath: string }>;
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath: string }>;
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<{ response: number }>;
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
}

export const dialog: Dialog;

export interface MenuItemConstructorOptions {
  label?: string;
  accelerator?: string;
  click?: () => void;
  role?:
    | 'appMenu'
    | 'quit'
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'selectAll'
    | 'reload'
    | 'forceReload'
    | 'toggleDevTools'
    | 'resetZoom'
    | 'zoomIn'
    | 'zoomOut'
    | 'togglefullscreen'
    | 'help';
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  submenu?: MenuItemConstructorOptions[];
  enabled?: boolean;
  toolTip?: string;
}

export class Menu {
  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
  static setApplicationMenu(menu: Menu | null): void;
}

export interface Shell {
  openExternal(url: string): Promise<void>;
}

export const shell: Shell;

export interface Screen {
  getAllDisplays(): Display[];
}

export const screen: Screen;

export interface OnHeadersReceivedListenerDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface HeadersReceivedResponse {
  cancel?: boolean;
  responseHeaders?: Record<string, string | string[]>;
}

export interface WebRequest {
  onHeadersReceived(listener: (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void): void;
}

export interface Session {
  readonly webRequest: WebRequest;
  setPermissionRequestHandler(handler: ((webContents: WebContents, permission: string, callback: (permissionGranted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: string) => boolean) | null): void;
}

export const session: { readonly defaultSession: Session };

export interface Privileges {
  standard?: boolean;
  secure?: boolean;
  bypassCSP?: boolean;
  allowServiceWorkers?: boolean;
  supportFetchAPI?: boolean;
  corsEnabled?: boolean;
  stream?: boolean;
  codeCache?: boolean;
}

export interface CustomScheme {
  scheme: string;
  privileges?: Privileges;
}

export interface Protocol {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export const protocol: Protocol;

/** Electron.MessageEvent: what a MessagePortMain or the utility process's parentPort delivers. */
export interface MessageEvent {
  data: any;
  ports: MessagePortMain[];
}

export class MessagePortMain {
  close(): void;
  postMessage(message: any, transfer?: MessagePortMain[]): void;
  start(): void;
  on(event: 'message', listener: (messageEvent: MessageEvent) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'message', listener: (messageEvent: MessageEvent) => void): this;
  once(event: 'close', listener: () => void): this;
}

export class MessageChannelMain {
  port1: MessagePortMain;
  port2: MessagePortMain;
}

export interface ForkOptions {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  cwd?: string;
  stdio?: Array<'pipe' | 'ignore' | 'inherit'> | string;
  serviceName?: string;
  allowLoadingUnsignedLibraries?: boolean;
  respondToAuthRequestsFromMainProcess?: boolean;
}

export class UtilityProcess {
  static fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess;
  pid: number | undefined;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  kill(): boolean;
  postMessage(message: any, transfer?: MessagePortMain[]): void;
  on(event: 'exit', listener: (code: number) => void): this;
  on(event: 'spawn', listener: () => void): this;
  on(event: 'message', listener: (message: any) => void): this;
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): this;
  once(event: 'exit', listener: (code: number) => void): this;
  once(event: 'spawn', listener: () => void): this;
}

export const utilityProcess: typeof UtilityProcess;
