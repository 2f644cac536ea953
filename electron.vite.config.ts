import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string; homepage?: string };
// Help ▸ Documentation opens package.json's "homepage", and only an https one.
const docsUrl = pkg.homepage?.startsWith('https://') ? pkg.homepage : null;

// electron-vite derives build targets and the ESM capability from
// node_modules/electron/package.json. The Electron binary (and so the package)
// may be absent on build machines; pin the major version we target (electron
// ^38 in package.json: Node 22, Chromium 140) so the build never needs it.
process.env.ELECTRON_MAJOR_VER ??= '38';

export default defineConfig({
  main: {
    define: { __SCIOPE_DOCS_URL__: JSON.stringify(docsUrl) },
    build: {
      target: 'node20',
      outDir: resolve(root, 'out/main'),
      // package.json "main" is out/main/index.js and "type" is module: ESM main. The engine runs in
      // a utility process whose entry, out/main/engineHost.js, main forks (main/engineHost.ts says why).
      lib: { entry: { index: resolve(root, 'main/index.ts'), engineHost: resolve(root, 'main/engineHost.ts') }, formats: ['es'] },
      rollupOptions: { output: { entryFileNames: '[name].js' } },
    },
  },
  preload: {
    define: { __SCIOPE_VERSION__: JSON.stringify(pkg.version) },
    build: {
      target: 'node20',
      outDir: resolve(root, 'out/preload'),
      // Sandboxed preloads are loaded as classic scripts: CommonJS, only `require('electron')`.
      lib: { entry: resolve(root, 'main/preload.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [vue()],
    build: {
      target: 'chrome128',
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
