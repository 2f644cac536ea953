export { startEngineServer, type EngineEndpoint, type EngineServerOptions, type RunningServer } from './EngineServer.js';
export { DEFAULT_SERVE_LIMITS, type ServeLimits } from './limits.js';
export { ServeRefusal } from './refusals.js';
export { terminalApprovalChannel } from './terminalApprovalChannel.js';
export { serveEngineProcess, type ServeEngineOptions } from './engineProcess.js';
