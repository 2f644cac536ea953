export { submitDetached, type DetachedStudy, type SubmitOptions } from './submit.js';
export {
  attachRun,
  cancelRun,
  connectRun,
  readStatus,
  remoteProjectPath,
  requireEnded,
  resubmitRun,
  type AttachOptions,
  type RemoteStatus,
} from './remoteControl.js';
export { fetchRun, mergeRun, type FetchResult } from './fetch.js';
export { alreadyFetchedError, mergedCopy, recordFetch } from './fetchRecord.js';
export { newRemoteRunId, RemoteRunError, RemoteRunRegistry, type RemoteFetch, type RemoteJob, type RemoteRun } from './remoteRuns.js';
export { coordinateRun, type CoordinateOptions } from './coordinator.js';
export { allocationFromEnv, inAllocationExecutor, type Allocation, type InAllocationOptions } from './inAllocation.js';
export { batchJobState, submitScript, type BatchJobState } from './jobState.js';
export { renderJobScript, jobLog, jobExitFile, type BatchJobSettings, type JobScriptInput } from './jobScript.js';
export { readManifest, verifyApprovedSimulator, ManifestError, manifestSchema, type ApprovedSimulator, type RunManifest } from './manifest.js';
export { readRunProgress, writeProgressFile, readProgressFile, parseProgress, type RunProgress } from './progress.js';
export { packStoredStudy, packStudy, type StudyPackage } from './studyPackage.js';
export { remoteElapsedSeconds, remoteOutcome, type RemoteOutcome, type RemotePhase } from './remoteOutcome.js';
export { RemoteRunTracker, type TrackedStatus } from './remoteRunTracker.js';
export { RunConnections, withRemoteRun } from './runConnections.js';
export { cliPackage, type CliPackage } from './cliPackage.js';
export { gzippedTar, type TarEntry } from './tarball.js';
