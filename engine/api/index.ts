export { EngineService, type EngineServiceOptions } from './EngineService.js';
export * from './contract.js';
export { toWireError, jsonSafe } from './wire.js';
