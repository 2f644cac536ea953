export * from './schema.js';
export { validateModel, formatPath } from './validate.js';
export { compileNetwork, type CompiledNetwork, type CompiledReaction } from './compile.js';
export { EXAMPLES, DEFAULT_EXAMPLE, exampleNames, getExample } from './examples/index.js';
export * from './expression/index.js';
