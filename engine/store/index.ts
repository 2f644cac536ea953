export { ProjectStore, ENGINE_VERSION, RUN_STATUSES, projectError } from './ProjectStore.js';
export type {
  OpenOptions,
  RunStatus,
  ModelRecord,
  ObservedRecord,
  ParameterSetRecord,
  StudyRecord,
  RunRecord,
  GenerationInfo,
  ParticleRow,
  ExplorationBatchInput,
  ExplorationBatchRecord,
  NetworkRecord,
  ProjectInfo,
} from './ProjectStore.js';
export { MIGRATIONS, SCHEMA_VERSION, SCIOPE_APPLICATION_ID, type Migration } from './schema.js';
export { RunBusyError, type RunLease } from './runLease.js';
export { toBlob, fromBlob } from './blob.js';
export { recorderFor, type RunRecorder } from './recorder.js';
export { storeStudyFile, type StudyFileInput, type StoredStudyFile } from './studyFile.js';
export { resumeRun, type ResumeRunOptions, type ResumedRun } from './resume.js';
export { runCsvLines, runToCsv, runToJson, exportStudy, importStudy, type RunExportJSON, type StudyExportJSON } from './export.js';
export { saveRunEstimator, readRunEstimator, readRunTraining, trainingRounds, type TrainingRound } from './runEstimators.js';
