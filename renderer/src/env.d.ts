/// <reference types="vite/client" />

/** Exposed by main/preload.ts through contextBridge; absent in web mode. */
interface Window {
  readonly sciope?: import('../../engine/api/contract').PreloadBridge;
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
