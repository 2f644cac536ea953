export { SlurmExecutor, type SlurmEvent, type SlurmExecutorOptions } from './SlurmExecutor.js';
export { checkLimits, isActive, SlurmClient, type ClusterFacts } from './SlurmClient.js';
export {
  clusterLabel,
  loadSlurmSettings,
  loginNode,
  parseSlurmSettings,
  SLURM_TIME,
  SlurmSettingsError,
  slurmSettingsSchema,
  type SlurmSettings,
  type SlurmSettingsInput,
} from './slurmSettings.js';
export { parseJobState, parseSbatchJobId, parseSinfo, parseSlurmTime, parseSlurmVersion, parseSteps, type JobState, type PartitionRow } from './slurmText.js';
