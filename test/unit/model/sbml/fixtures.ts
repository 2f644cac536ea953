/** Shared by the SBML import tests: the wasm location and the fixtures in test/fixtures/sbml. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { SbmlImportError } from '../../../../engine/errors';
import { importSbml, type SbmlImportResult } from '../../../../engine/model/sbml';

export const WASM = createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../../fixtures/sbml/${name}`, import.meta.url), 'utf8');
}

export function importFixture(name: string): Promise<SbmlImportResult> {
  return importSbml(fixtureText(name), { wasm: WASM, source: name });
}

/** The SbmlImportError a fixture raises (fails the test when it imports). */
export async function importError(name: string): Promise<SbmlImportError> {
  const error = await importFixture(name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${name} should not import`).toBeInstanceOf(SbmlImportError);
  return error as SbmlImportError;
}
