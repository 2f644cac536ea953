import { createRequire } from 'node:module';
import { ModelValidationError } from '../../errors/index.js';
import { exampleNames, getExample, validateModel } from '../../model/index.js';
import { importSbml } from '../../model/sbml/index.js';
import { blackBoxModel, parseBlackBoxSpec } from '../../simulate/blackbox/spec.js';
import { checkAbsoluteSimulatorPaths } from '../../simulate/blackbox/simulatorPaths.js';
import { modelDetail, requireModel } from '../projectViews.js';
import { ApiStateError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';
import { draftKey } from './studies.js';

/** models.*: the built-in examples, SBML import, the model editor's check and save, black-box simulators. */
export function modelHandlers(context: HandlerContext) {
  return {
    'models.examples': () =>
      exampleNames().map((name) => {
        const model = getExample(name)!;
        return {
          name,
          title: model.description ?? name,
          species: model.species?.length ?? 0,
          reactions: model.reactions?.length ?? 0,
          parameters: model.parameters?.length ?? 0,
        };
      }),
    'models.addExample': ({ example, name }) => {
      const model = getExample(example);
      if (!model) throw new ApiStateError('NOT_FOUND', `no built-in example "${example}"; examples: ${exampleNames().join(', ')}`, { example });
      const store = context.project();
      const id = store.addModel({ name: name ?? example, format: 'example', source: example, parsed: validateModel(model, example) });
      return modelDetail(requireModel(store, id));
    },
    'models.importSbml': async ({ name, xml }) => {
      const store = context.project();
      const result = await importSbml(xml, { wasm: libsbmlWasm(), source: name });
      // Named from <model name>, else its id (the importer's choice), else the file name.
      const fromFile = name.replace(/\.(xml|sbml)$/i, '');
      const id = store.addModel({
        name: result.model.name && result.model.name !== 'model' ? result.model.name : fromFile,
        format: 'sbml',
        source: xml,
        parsed: result.model,
      });
      return { model: modelDetail(requireModel(store, id)), warnings: result.warnings.map((w) => ({ ...w })) };
    },
    'models.check': ({ model }) => {
      try {
        validateModel(model);
        return { issues: [] };
      } catch (error) {
        if (error instanceof ModelValidationError) return { issues: error.issues };
        throw error;
      }
    },
    'models.save': ({ id: replace, name, model }) => {
      const store = context.project();
      const parsed = validateModel(model, name);
      const record = { name, format: 'json' as const, source: JSON.stringify(model, null, 2), parsed };
      // A model no study uses is replaced in place; one in use stays (its runs must remain reproducible) and the edit is a new model.
      if (replace !== undefined && requireModel(store, replace) && store.studiesOfModel(replace).length === 0) {
        store.updateModel(replace, record);
        return modelDetail(requireModel(store, replace));
      }
      return modelDetail(requireModel(store, store.addModel(record)));
    },
    'models.delete': ({ id }) => {
      const store = context.project();
      requireModel(store, id);
      const studies = store.studiesOfModel(id);
      if (studies.length > 0) {
        throw new ApiStateError(
          'MODEL_IN_USE',
          `the model is used by ${studies.length === 1 ? 'study' : 'studies'} ${studies.map((s) => `"${s.name}"`).join(', ')}; it stays so that their runs remain reproducible`,
          { studies },
        );
      }
      store.deleteModel(id);
      store.deleteSetting(draftKey(id));
      return null;
    },
    'models.get': ({ id }) => modelDetail(requireModel(context.project(), id)),
    'models.addSimulator': ({ name, simulator }) => {
      const store = context.project();
      const spec = parseBlackBoxSpec(simulator, 'simulator');
      checkAbsoluteSimulatorPaths(spec);
      const stored = { ...spec, name: spec.name ?? name };
      const id = store.addModel({ name, format: 'simulator', source: JSON.stringify(stored), parsed: blackBoxModel(stored) });
      return modelDetail(requireModel(store, id));
    },
  } satisfies HandlerPart;
}

/** The libSBML WebAssembly binary shipped with the libsbmljs_stable package. */
function libsbmlWasm(): string {
  return createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');
}
