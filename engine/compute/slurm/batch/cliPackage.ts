import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerBundlePath } from '../../pool/workerBundle.js';
import { gzippedTar, type TarEntry } from './tarball.js';

/**
 * The `sciope` command as the cluster runs it: one archive holding
 *   sciope.mjs                 the CLI (engine/cli/main.ts bundled by esbuild, TensorFlow.js inside)
 *   worker/remoteWorker.mjs    the srun workers' entry (and threadWorker.mjs), found through
 *                              $SCIOPE_WORKER_BUNDLE_DIR so nothing is compiled on the cluster
 *   node_modules/...           the packages the bundle leaves external: better-sqlite3 (native,
 *                              its build for this machine's platform and Node ABI), piscina, ssh2
 *                              and their dependencies
 * named by the SHA-256 of its bytes, so a cluster keeps one copy per version.
 * better-sqlite3's binary loads on a cluster of the same platform and Node
 * major as this machine; preflight (see deployCli) says what to do otherwise.
 */
export interface CliPackage {
  readonly archive: Buffer;
  /** First 16 hex digits of the archive's SHA-256. */
  readonly hash: string;
  /** `cli-<hash>`: the folder it unpacks to. */
  readonly name: string;
  /** Node's ABI version the native module was built for (process.versions.modules here). */
  readonly nodeAbi: string;
  readonly platform: string;
  /** The better-sqlite3 version inside (to install another build of it on a cluster that cannot load this one). */
  readonly sqliteVersion: string;
}

/** Packages the bundle imports at run time without carrying them (see EXTERNAL). */
const RUNTIME_PACKAGES = ['better-sqlite3', 'piscina', 'ssh2'];
/** Kept out of the bundle: native code, or packages that must be shared with the worker threads. */
const EXTERNAL = [
  ...RUNTIME_PACKAGES,
  'cpu-features',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-backend-wasm',
  'esbuild',
  'electron',
  'libsbmljs_stable',
  'tsx',
  'tsx/*',
];
/** Not needed to run: sources of native code, tests, docs. */
const SKIP = /(^|\/)(deps|src|test|test-jest|tests|docs|benchmark|obj|obj\.target|\.github)(\/|$)|\.(md|a|gyp|cc|h|map|ts)$|test_extension\.node$/;

const root = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/[\\/]$/, '');

/** A package's folder, looked up as Node does: next to the package that needs it, then up to the checkout's node_modules. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) throw new Error(`package ${name} is not installed (needed on the cluster); run npm ci`);
  }
}

/** Packages and their dependencies (not the optional ones: their users fall back without them), from the checkout. */
function dependencyClosure(names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, from: string) => {
    if (found.has(name)) return;
    const dir = packageDir(name, from);
    found.set(name, dir);
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    // prebuild-install only fetches binaries at install time; the package ships its build.
    for (const dep of Object.keys(json.dependencies ?? {})) if (dep !== 'prebuild-install') visit(dep, dir);
  };
  names.forEach((n) => visit(n, root));
  return found;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(dir);
  return out;
}

async function bundleCli(): Promise<Buffer> {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: {
      contents: "import { main } from './engine/cli/main.ts';\nprocess.exitCode = await main(process.argv);\n",
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'sciope-cli.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    external: EXTERNAL,
    banner: { js: "import { createRequire as __sciopeRequire } from 'node:module'; const require = __sciopeRequire(import.meta.url);" },
  });
  return Buffer.from(result.outputFiles[0].contents);
}

let cached: Promise<CliPackage> | null = null;

/** Build (once per process) the CLI package of this checkout. */
export function cliPackage(): Promise<CliPackage> {
  cached ??= (async () => {
    const entries: TarEntry[] = [{ path: 'sciope.mjs', data: await bundleCli(), mode: 0o644 }];
    for (const worker of ['remoteWorker', 'threadWorker'] as const) {
      entries.push({ path: `worker/${worker}.mjs`, data: readFileSync(await workerBundlePath(worker)), mode: 0o644 });
    }
    for (const [name, dir] of dependencyClosure(RUNTIME_PACKAGES)) {
      for (const file of filesUnder(dir)) {
        const inside = relative(dir, file).split(sep).join('/');
        if (SKIP.test(inside)) continue;
        entries.push({ path: `node_modules/${name}/${inside}`, data: readFileSync(file), mode: statSync(file).mode & 0o111 ? 0o755 : 0o644 });
      }
    }
    const archive = gzippedTar(entries);
    const hash = createHash('sha256').update(archive).digest('hex').slice(0, 16);
    const sqlite = JSON.parse(readFileSync(join(packageDir('better-sqlite3', root), 'package.json'), 'utf8')) as { version: string };
    return {
      archive,
      hash,
      name: `cli-${hash}`,
      nodeAbi: process.versions.modules,
      platform: `${process.platform}-${process.arch}`,
      sqliteVersion: sqlite.version,
    };
  })();
  cached.catch(() => (cached = null));
  return cached;
}
