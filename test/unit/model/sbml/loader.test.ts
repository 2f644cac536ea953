/**
 * The libSBML loader and the hygiene of an import: one module per process,
 * from a path or from bytes; a missing wasm file is a clear error, not a hang
 * or an unhandled rejection; no process handlers left behind; nothing printed;
 * every libSBML object freed (wasm memory does not grow over repeated
 * imports, while leaking the documents of 50 imports of the same model grows
 * it by ~48 MB).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SbmlImportError } from '../../../../engine/errors';
import { importSbml } from '../../../../engine/model/sbml';
import { loadLibsbml } from '../../../../engine/model/sbml/libsbml';
import { fixtureText, importFixture, WASM } from './fixtures';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('loadLibsbml', () => {
  it('loads the module once: later calls, from a path or bytes, share it', async () => {
    const first = await loadLibsbml(WASM);
    expect(typeof first.SBMLReader).toBe('function');
    expect(await loadLibsbml(WASM)).toBe(first);
    expect(await loadLibsbml(new Uint8Array(8))).toBe(first); // the bytes are not even looked at
    expect('then' in first).toBe(false); // awaiting it must settle
  });

  it('a fresh process loads from bytes too', async () => {
    vi.resetModules();
    const fresh = await import('../../../../engine/model/sbml/libsbml');
    const module = await fresh.loadLibsbml(readFileSync(WASM));
    expect(typeof module.SBMLReader).toBe('function');
  });

  it('a missing or broken wasm file rejects with an SbmlImportError naming it; a later call may retry', async () => {
    vi.resetModules();
    const fresh = await import('../../../../engine/model/sbml/libsbml');
    const missing = await fresh.loadLibsbml('/no/such/libsbml.wasm').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    expect((missing as SbmlImportError).code).toBe('SBML_IMPORT');
    expect((missing as Error).message).toMatch(/could not load libSBML from the wasm file \(\/no\/such\/libsbml\.wasm\): ENOENT/);
    const broken = await fresh.loadLibsbml(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9])).catch((e: unknown) => e);
    expect((broken as Error).message).toMatch(/could not load libSBML from the wasm file \(8 bytes\)/);
    expect(typeof (await fresh.loadLibsbml(WASM)).SBMLReader).toBe('function');
  });

  it('leaves no uncaughtException or unhandledRejection handler installed', async () => {
    const before = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
    vi.resetModules();
    const fresh = await import('../../../../engine/model/sbml/libsbml');
    await fresh.loadLibsbml(WASM);
    expect(['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e))).toEqual(before);
  });
});

describe('an import', () => {
  it('prints nothing, whether it succeeds with warnings or fails', async () => {
    const writes = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
    const logs = (['log', 'warn', 'error', 'info', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const { warnings } = await importFixture('documentation.xml');
    expect(warnings.length).toBeGreaterThan(3);
    await expect(importFixture('malformed.xml')).rejects.toBeInstanceOf(SbmlImportError);
    await expect(importFixture('unsupported.xml')).rejects.toBeInstanceOf(SbmlImportError);
    for (const spy of [...writes, ...logs]) expect(spy).not.toHaveBeenCalled();
  });

  it('frees every libSBML object: 100 imports leave wasm memory where it was', async () => {
    const module = await loadLibsbml(WASM);
    const memory = () => (module.wasmMemory?.buffer ?? module.buffer)!.byteLength;
    const xml = fixtureText('vilar.xml');
    const invalid = fixtureText('unsupported.xml');
    await importSbml(xml, { wasm: WASM });
    const before = memory();
    for (let i = 0; i < 50; i++) {
      await importSbml(xml, { wasm: WASM });
      await importSbml(invalid, { wasm: WASM }).catch(() => undefined);
    }
    expect(memory()).toBe(before);
  });
});
