/// <reference types="vite/client" />

/** Exposed by main/preload.ts through contextBridge; absent in web mode. */
interface SciopeBridge {
  readonly version: string
  readonly platform: string
}

interface Window {
  readonly sciope?: SciopeBridge
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
