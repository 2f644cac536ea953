import { app, BrowserWindow } from 'electron'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// IPC handlers that forward to engine/api arrive with the EngineApi; main stays thin.

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const indexHtmlPath = fileURLToPath(new URL('../renderer/index.html', import.meta.url))

// node_modules/better-sqlite3 is built for Node (tests, CLI). In development
// Electron loads the copy built for its own ABI by build/native/electronSqlite.mjs
// (run by `npm run dev` / `npm start`); packaged apps are rebuilt by electron-builder.
if (!app.isPackaged) {
  const electronBuild = fileURLToPath(
    new URL(`../../build/native/electron/${process.versions.electron}/better_sqlite3.node`, import.meta.url)
  )
  if (existsSync(electronBuild)) process.env.SCIOPE_SQLITE_BINDING ??= electronBuild
}

let mainWindow: BrowserWindow | null = null

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Sciope Desktop',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    }
  })

  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.on('closed', () => {
    mainWindow = null
  })

  const devUrl = process.env.ELECTRON_RENDERER_URL
  if (!app.isPackaged && devUrl) {
    void win.loadURL(devUrl)
  } else {
    void win.loadFile(indexHtmlPath)
  }
  return win
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  void app.whenReady().then(() => {
    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })
}
