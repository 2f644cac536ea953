/**
 * Minimal stand-in for the `electron` typings, used only when the optional
 * `electron` package is not installed (tsconfig.node.json `paths` tries
 * node_modules/electron first). Declares just what main/ uses today; once
 * Electron is installed its real electron.d.ts wins automatically.
 */

export interface Event {
  preventDefault(): void
}

export interface WebPreferences {
  preload?: string
  contextIsolation?: boolean
  sandbox?: boolean
  nodeIntegration?: boolean
  webSecurity?: boolean
}

export interface BrowserWindowConstructorOptions {
  width?: number
  height?: number
  title?: string
  show?: boolean
  webPreferences?: WebPreferences
}

export interface WindowOpenHandlerResponse {
  action: 'allow' | 'deny'
}

export interface WebContents {
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void
  on(event: 'will-navigate', listener: (event: Event, url: string) => void): this
}

export class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions)
  static getAllWindows(): BrowserWindow[]
  readonly webContents: WebContents
  loadURL(url: string): Promise<void>
  loadFile(filePath: string): Promise<void>
  isMinimized(): boolean
  restore(): void
  focus(): void
  show(): void
  once(event: 'ready-to-show', listener: () => void): this
  on(event: 'closed', listener: () => void): this
}

export interface App {
  readonly isPackaged: boolean
  requestSingleInstanceLock(): boolean
  quit(): void
  whenReady(): Promise<void>
  getVersion(): string
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): this
}

export const app: App

export interface ContextBridge {
  exposeInMainWorld(apiKey: string, api: unknown): void
}

export const contextBridge: ContextBridge
