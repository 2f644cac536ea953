import { parseStudy } from '../../infer/study.js';
import { studyModelMismatches } from '../../infer/studyModelMismatches.js';
import type { ReactionNetworkInput } from '../../model/schema.js';
import { observedDetail, requireModel, requireObserved } from '../projectViews.js';
import { saveStudyVersion } from '../studyVersions.js';
import { ApiArgumentError, ApiStateError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** JSON a study draft may take in the project (drafts.save); a draft is a few kilobytes. */
export const MAX_DRAFT_BYTES = 1_000_000;

/** The project setting that holds a model's study draft (deleted with the model). */
export const draftKey = (modelId: number): string => `app.draft.model.${modelId}`;

/** The study fields that pass from the call into the stored study JSON unchanged when given. */
const STUDY_FIELDS = ['species', 'summaries', 'distance', 'simulation', 'algorithm', 'seed', 'truth'] as const;

/** studies.* and drafts.*: studies saved (versioned) from the app's choices, and the unsaved draft of each model. */
export function studyHandlers(context: HandlerContext) {
  return {
    'studies.save': (args) => {
      const store = context.project();
      const model = requireModel(store, args.modelId);
      const observed = requireObserved(store, args.observedId);
      const config: Record<string, unknown> = {
        name: args.name,
        model: model.format === 'simulator' ? { simulator: JSON.parse(model.source) } : model.format === 'example' ? { example: model.source } : model.name,
        observed: observed.name,
        priors: args.priors,
      };
      for (const key of STUDY_FIELDS) {
        if (args[key] !== undefined) config[key] = args[key];
      }
      const study = parseStudy(config, `study "${args.name}"`);
      const mismatches = studyModelMismatches(study, model.parsed as ReactionNetworkInput, observedDetail(observed).species);
      if (mismatches.length > 0) throw new ApiArgumentError('studies.save', mismatches);
      // Truth values of parameters that are not inferred are dropped (parseStudy ignores them).
      if (study.truth) config.truth = study.truth;
      else delete config.truth;
      const saved = saveStudyVersion(store, { name: args.name, config, modelId: model.id, observedId: observed.id });
      return { ...saved, modelId: model.id, observedId: observed.id };
    },
    'studies.get': ({ id }) => {
      const study = context.project().getStudy(id);
      if (!study) throw new ApiStateError('NOT_FOUND', `no study ${id} in this project`, { studyId: id });
      return { id: study.id, name: study.name, modelId: study.modelId, observedId: study.observedId, config: study.config };
    },

    'drafts.get': ({ modelId }) => {
      const store = context.project();
      requireModel(store, modelId);
      const draft = store.getSetting<Record<string, unknown>>(draftKey(modelId));
      return { draft: draft && typeof draft === 'object' && !Array.isArray(draft) ? draft : null };
    },
    'drafts.save': ({ modelId, draft }) => {
      const store = context.project();
      requireModel(store, modelId);
      if (draft === null) {
        store.deleteSetting(draftKey(modelId));
        return null;
      }
      const bytes = Buffer.byteLength(JSON.stringify(draft));
      if (bytes > MAX_DRAFT_BYTES)
        throw new ApiArgumentError('drafts.save', [{ path: 'draft', message: `the draft is ${bytes} bytes of JSON; at most ${MAX_DRAFT_BYTES} are kept` }]);
      store.setSetting(draftKey(modelId), draft);
      return null;
    },
  } satisfies HandlerPart;
}
