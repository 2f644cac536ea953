export {
  blackBoxSimulatorSchema,
  moduleSimulatorSchema,
  commandSimulatorSchema,
  parseBlackBoxSpec,
  resolveSpecPaths,
  blackBoxModel,
  BlackBoxSpecError,
  type BlackBoxSimulatorSpec,
  type ModuleSimulatorSpec,
  type CommandSimulatorSpec,
} from './spec.js';
export { blackBoxSeed, writeBlackBoxOutput, BlackBoxOutputError } from './output.js';
export { ModuleSimulator, type BlackBoxFunction, type BlackBoxInput, type BlackBoxOutput } from './ModuleSimulator.js';
export { CommandSimulator, CommandSimulatorError, type CommandFailureKind } from './CommandSimulator.js';
export { loadBlackBoxFunction, inlineModuleSource } from './loadModule.js';
export { createBlackBoxSimulator, sharedBlackBoxSimulator, closeSharedBlackBoxSimulators, type BlackBoxSimulator } from './create.js';
export {
  absoluteSpec,
  simulatorFiles,
  storedSimulator,
  verifySimulatorFiles,
  SimulatorChangedError,
  type SimulatorFile,
  type StoredSimulator,
} from './fingerprint.js';
