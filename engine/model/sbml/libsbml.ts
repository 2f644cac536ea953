/**
 * Loading libSBML (libsbmljs_stable: libSBML 5.18 compiled to WebAssembly)
 * and the small part of its API the importer uses.
 *
 * Pitfalls handled here, once:
 * - The module the factory returns carries an Emscripten `then` that returns
 *   the module itself, so `await`ing it never settles. It is wrapped in a real
 *   Promise with `.then(cb)`, once per process.
 * - The wasm file is located by the caller (a path, or its bytes), never
 *   guessed, so the same code loads from node_modules, a bundle or an
 *   Electron asar archive. The binary is instantiated here (Emscripten's
 *   `instantiateWasm` hook) so that a missing or broken file rejects the load
 *   with a clear error instead of an unhandled rejection inside Emscripten.
 *   A path is read with Emscripten's own reader (Node `fs`, asar-aware under
 *   Electron) or `fetch` in a browser; this file uses no Node built-ins.
 * - In Node the factory installs process-wide `uncaughtException` and
 *   `unhandledRejection` handlers (the latter aborts libSBML); they are
 *   removed again so that libSBML does not change how the host process fails.
 * - Its print/printErr output is captured, never written to the console.
 * - Objects made with `new` or returned as owned (SBMLReader, the document of
 *   readSBMLFromString) must be freed with `destroy`; objects reached through
 *   getters belong to their parent and must not be.
 */
import { SbmlImportError } from '../../errors/index.js';

/** Where the libSBML wasm binary is: a file path (also inside an asar archive) or its bytes. */
export type LibsbmlWasm = string | Uint8Array | ArrayBuffer;

export interface LibsbmlObject {
  readonly ptr: number;
}

export interface AstNode extends LibsbmlObject {
  getType(): number;
  getName(): string;
  getValue(): number;
  getNumChildren(): number;
  getChild(index: number): AstNode;
}

export interface SBase extends LibsbmlObject {
  getId(): string;
  getName(): string;
  getMetaId(): string;
  getAnnotationString(): string;
  isSetNotes(): boolean;
  getNotesString(): string;
  getSBOTerm(): number;
}

export interface MathHolder extends SBase {
  isSetMath(): boolean;
  getMath(): AstNode;
}

export interface Compartment extends SBase {
  isSetSize(): boolean;
  getSize(): number;
  getSpatialDimensions(): number;
  isSetSpatialDimensions(): boolean;
  getConstant(): boolean;
  getUnits(): string;
}

export interface Species extends SBase {
  isSetInitialAmount(): boolean;
  getInitialAmount(): number;
  isSetInitialConcentration(): boolean;
  getInitialConcentration(): number;
  getHasOnlySubstanceUnits(): boolean;
  getCompartment(): string;
  getBoundaryCondition(): boolean;
  getConstant(): boolean;
  isSetConversionFactor(): boolean;
  getConversionFactor(): string;
  getSubstanceUnits(): string;
}

export interface Parameter extends SBase {
  isSetValue(): boolean;
  getValue(): number;
  getConstant(): boolean;
  getUnits(): string;
}

export interface SpeciesReference extends SBase {
  getSpecies(): string;
  isSetStoichiometry(): boolean;
  getStoichiometry(): number;
  isSetStoichiometryMath(): boolean;
  /** Level 3: whether the stoichiometry never changes (no rule or event sets it). */
  getConstant(): boolean;
}

export interface KineticLaw extends MathHolder {
  getNumParameters(): number;
  getParameter(index: number): Parameter;
}

export interface Reaction extends SBase {
  getNumReactants(): number;
  getReactant(index: number): SpeciesReference;
  getNumProducts(): number;
  getProduct(index: number): SpeciesReference;
  getNumModifiers(): number;
  getModifier(index: number): SpeciesReference;
  isSetKineticLaw(): boolean;
  getKineticLaw(): KineticLaw;
  getReversible(): boolean;
}

export interface FunctionDefinition extends MathHolder {
  getNumArguments(): number;
  getArgument(index: number): AstNode;
  getBody(): AstNode;
}

export interface InitialAssignment extends MathHolder {
  getSymbol(): string;
}

export interface Rule extends MathHolder {
  isAssignment(): boolean;
  isRate(): boolean;
  isAlgebraic(): boolean;
  getVariable(): string;
}

export interface Trigger extends MathHolder {
  getPersistent(): boolean;
  isSetInitialValue(): boolean;
  getInitialValue(): boolean;
}

export interface EventAssignment extends MathHolder {
  getVariable(): string;
}

export interface SbmlEvent extends SBase {
  isSetTrigger(): boolean;
  getTrigger(): Trigger;
  isSetDelay(): boolean;
  getDelay(): MathHolder;
  isSetPriority(): boolean;
  getPriority(): MathHolder;
  getUseValuesFromTriggerTime(): boolean;
  getNumEventAssignments(): number;
  getEventAssignment(index: number): EventAssignment;
}

export interface SbmlModel extends SBase {
  getNumCompartments(): number;
  getCompartment(index: number): Compartment;
  getNumSpecies(): number;
  getSpecies(index: number): Species;
  getNumParameters(): number;
  getParameter(index: number): Parameter;
  getNumReactions(): number;
  getReaction(index: number): Reaction;
  getNumFunctionDefinitions(): number;
  getFunctionDefinition(index: number): FunctionDefinition;
  getNumInitialAssignments(): number;
  getInitialAssignment(index: number): InitialAssignment;
  getNumRules(): number;
  getRule(index: number): Rule;
  getNumEvents(): number;
  getEvent(index: number): SbmlEvent;
  getNumConstraints(): number;
  getNumUnitDefinitions(): number;
  getUnitDefinition(index: number): SBase;
}

export interface SbmlDocument extends LibsbmlObject {
  getLevel(): number;
  getVersion(): number;
  getModel(): SbmlModel;
  getNumErrors(): number;
  getError(index: number): LibsbmlObject & { getMessage(): string };
  checkConsistency(): number;
}

export interface SbmlReader extends LibsbmlObject {
  readSBMLFromString(xml: string): SbmlDocument;
}

/** The loaded module: constructors, `destroy`, the AST_* and LIBSBML_* constants, and the wasm memory. */
export interface LibsbmlModule {
  SBMLReader: new () => SbmlReader;
  destroy(object: LibsbmlObject): void;
  wasmMemory?: { buffer: ArrayBuffer };
  buffer?: ArrayBuffer;
  readonly [constant: `AST_${string}` | `LIBSBML_${string}`]: number;
}

let loading: Promise<LibsbmlModule> | undefined;

/**
 * The libSBML module, loaded once per process. `wasm` locates the binary; it
 * is used by the first call only (later calls share the loaded module).
 */
export function loadLibsbml(wasm: LibsbmlWasm): Promise<LibsbmlModule> {
  loading ??= instantiate(wasm).catch((error: unknown) => {
    loading = undefined; // let a later call retry, e.g. with a corrected path
    throw error;
  });
  return loading;
}

interface ProcessLike {
  listeners(event: string): Array<(...args: unknown[]) => void>;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
}

async function instantiate(wasm: LibsbmlWasm): Promise<LibsbmlModule> {
  const imported = (await import('libsbmljs_stable')) as { default?: unknown };
  const factory = (typeof imported.default === 'function' ? imported.default : imported) as (overrides: Record<string, unknown>) => unknown;
  const messages: string[] = [];
  const where = typeof wasm === 'string' ? wasm : `${wasm.byteLength} bytes`;
  return new Promise<LibsbmlModule>((resolve, reject) => {
    const fail = (reason: unknown) =>
      reject(loadError(where, `${reason instanceof Error ? reason.message : String(reason)}${messages.length ? ` (${messages.join('; ')})` : ''}`));
    const overrides: Record<string, unknown> = {
      print: (text: string) => messages.push(text),
      printErr: (text: string) => messages.push(text),
      onAbort: fail,
      instantiateWasm(imports: unknown, receiveInstance: (instance: unknown, module: unknown) => void) {
        readWasm(wasm, overrides.readBinary as ((path: string) => Uint8Array) | undefined)
          .then((bytes) => webAssembly().instantiate(bytes, imports))
          .then((result) => receiveInstance(result.instance, result.module))
          .catch(fail);
        return {}; // instantiation continues asynchronously
      },
    };

    const proc = (globalThis as { process?: ProcessLike }).process;
    const events = ['uncaughtException', 'unhandledRejection'];
    const before = proc ? events.map((e) => new Set(proc.listeners(e))) : [];
    let module: { then(callback: (m: LibsbmlModule) => void): unknown };
    try {
      module = factory(overrides) as typeof module;
    } catch (error) {
      reject(loadError(where, (error as Error).message));
      return;
    } finally {
      if (proc)
        events.forEach((e, i) =>
          proc
            .listeners(e)
            .filter((l) => !before[i].has(l))
            .forEach((l) => proc.removeListener(e, l)),
        );
    }
    // Never `await` or `resolve(module)`: its `then` makes it a thenable that resolves to itself forever.
    module.then((loaded) => {
      delete (loaded as { then?: unknown }).then;
      resolve(loaded);
    });
  });
}

/** The WebAssembly global (typed here: the Node lib settings carry no DOM or WebAssembly types). */
function webAssembly(): { instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: unknown; module: unknown }> } {
  return (globalThis as unknown as { WebAssembly: ReturnType<typeof webAssembly> }).WebAssembly;
}

/** The wasm bytes: given, read by Emscripten's Node reader, or fetched (browser). */
async function readWasm(wasm: LibsbmlWasm, readBinary: ((path: string) => Uint8Array) | undefined): Promise<Uint8Array> {
  if (typeof wasm !== 'string') return wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm);
  if (readBinary) return readBinary(wasm);
  const response = await fetch(wasm);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function loadError(where: string, reason: string): SbmlImportError {
  return new SbmlImportError([{ kind: 'sbml', message: `could not load libSBML from the wasm file (${where}): ${reason}` }]);
}
