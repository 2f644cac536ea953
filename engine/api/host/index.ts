export type { BridgePort, IpcEndpoint } from './BridgePort.js';
export { ipcChannelPort, nodeMessagePort } from './BridgePort.js';
export { EngineHostClient, type EngineHostClientOptions, type HostConnection, type HostCrash } from './EngineHostClient.js';
export { startEngineHost, type EngineHostOptions, type HostedService, type RunningEngineHost } from './engineHost.js';
export { launchChildProcessHost, type ChildProcessHostOptions } from './childProcessHost.js';
export { parseFromHost, parseHostInit, parseToHost, type FromHost, type HostApprovalKind, type HostInit, type ToHost } from './protocol.js';
