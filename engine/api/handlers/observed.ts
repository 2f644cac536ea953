import { parseObservedCsv } from '../../infer/observedData.js';
import { observedDetail, requireObserved } from '../projectViews.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** observed.*: observed data imported from CSV (checked as a run will read it) and shown. */
export function observedHandlers(context: HandlerContext) {
  return {
    'observed.importCsv': ({ name, csv, species }) => {
      const store = context.project();
      parseObservedCsv(csv, { source: name, species });
      const id = store.addObserved({ name, source: csv, species: species ?? null });
      return observedDetail(requireObserved(store, id));
    },
    'observed.get': ({ id }) => observedDetail(requireObserved(context.project(), id)),
  } satisfies HandlerPart;
}
