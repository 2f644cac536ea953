/** The SBML Test Suite's semantic cases: read them, run them, compare, summarise (`sciope sbml-suite`). */
export { parseSuiteSettings, settingsTimeGrid, type SuiteSettings } from './settings.js';
export { parseSuiteResults, parseResultCell, type SuiteResults } from './results.js';
export { parseCaseHeader, TIME_COURSE, type CaseHeader } from './caseHeader.js';
export { parseCaseSelection, formatCaseSelection, caseId } from './caseSelection.js';
export { withinTolerance, compareWithExpected, type Comparison } from './compare.js';
export { resolveCasesFolder, listCaseIds, readCaseFile, modelFile, externalModelReader } from './caseFiles.js';
export {
  runSuiteCase,
  solverTolerances,
  CASE_TIME_LIMIT_MS,
  OUTCOMES,
  type CaseOutcome,
  type Outcome,
  type RunCaseOptions,
  type ImportModel,
  type SimulateGeneral,
} from './runCase.js';
export { runCasesInWorkers, type WorkerPoolOptions, type DescribeCase } from './workerPool.js';
export { summarizeSuite, formatSuiteSummary, refusalKind, type SuiteSummary, type TagTally } from './summary.js';
export { parseExpectations, readExpectations, writeExpectations, checkExpectations, type ExpectationCheck } from './expectations.js';
export { SuiteFileError, SuiteFailedError } from './suiteFileError.js';
export { trajectorySeries } from './trajectorySeries.js';
