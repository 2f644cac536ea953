/**
 * engine/explore: human-in-the-loop exploration sessions (Wrede &
 * Hellander 2019, doi:10.1093/bioinformatics/btz420). The app's EngineApi
 * uses: createExplorationSession → runBatch → embed → setLabels →
 * propagate → propose → runProposal; attach/load/list for projects.
 * Results are plain arrays and numbers.
 */
import type { ReactionNetworkInput } from '../model/schema.js';
import { blackBoxModel } from '../simulate/blackbox/spec.js';
import { ExplorationSession } from './ExplorationSession.js';
import { parseSessionSpec } from './sessionSpec.js';
import { ExplorationError } from './errors.js';

export { ExplorationSession, type ExplorationBatch, type BatchSource, type RunBatchOptions, type SessionObserver } from './ExplorationSession.js';
export {
  parseSessionSpec,
  sessionSchema,
  sessionTimes,
  SESSION_DESIGN_KINDS,
  DEFAULT_SESSION_STATISTICS,
  type SessionConfig,
  type SessionInput,
  type SessionDesignKind,
} from './sessionSpec.js';
export { attachSessionStore, loadExplorationSession, listExplorationSessions, type ExplorationStore } from './persistence.js';
export { proposePoints, type Proposal, type ProposalOptions, type ProposalStrategy } from './activeLearning.js';
export { KnnSoftClassifier, type KnnClassifierOptions } from './knnClassifier.js';
export { ParameterSpace } from './parameterSpace.js';
export { designPoints, regionPoints, boxInUnit, type BatchOrigin, type Region } from './batchPoints.js';
export { ExplorationError, SessionSpecError } from './errors.js';
export type { BatchSummary, EmbeddingResult, PropagationSummary, ProposalResult, SessionSnapshot } from './types.js';

/**
 * Validate a session's JSON and create the session. `model` is the loaded
 * model JSON (the caller reads files: example, JSON or SBML); it may be
 * omitted for a black-box simulator session, whose interface is the model.
 */
export function createExplorationSession(json: unknown, model?: ReactionNetworkInput, source = 'session'): ExplorationSession {
  const config = parseSessionSpec(json, source);
  const resolved = model ?? (config.simulator ? blackBoxModel(config.simulator) : undefined);
  if (!resolved) throw new ExplorationError('model', 'a loaded model is required unless the session names a black-box simulator');
  return new ExplorationSession(config, resolved);
}
