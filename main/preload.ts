import { contextBridge } from 'electron'

// Injected at build time from package.json (see electron.vite.config.ts).
declare const __SCIOPE_VERSION__: string

/** The one global the renderer sees. The EngineApi client is added here later. */
const sciope = Object.freeze({
  version: __SCIOPE_VERSION__,
  platform: process.platform as string
})

contextBridge.exposeInMainWorld('sciope', sciope)
