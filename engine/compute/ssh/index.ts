export { launchOnNode, SshNodePool, type LaunchedSession, type NodeEvent, type SessionLauncher, type SshNodePoolOptions } from './SshNodePool.js';
export { NodeSession, type SessionTiming, type WorkerLaunch } from './NodeSession.js';
export { NodesLostError } from './errors.js';
export { checkNodes, inspectNode, MIN_NODE_MAJOR, type NodeFacts, type NodeReport } from './preflight.js';
export { connectNode, shellQuote, type ConnectOptions, type ExecResult, type NodeConnection } from './connection.js';
export { deployWorker, remoteWorkerBundle, type Deployment, type WorkerBundle } from './deploy.js';
export { DEFAULT_KNOWN_HOSTS, checkHostKey, fingerprint, parseKnownHosts, readKnownHosts, type HostKeyCheck, type KnownHostEntry } from './knownHosts.js';
export {
  loadNodesFile,
  nodeLabel,
  NodeSettingsError,
  nodeSettingsSchema,
  parseNodeSettings,
  parseNodesFile,
  type NodeSettings,
  type NodeSettingsInput,
  type NodesFile,
} from './nodeSettings.js';
export { PROTOCOL } from './frames.js';
