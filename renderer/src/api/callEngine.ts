import type { ApiArgs, ApiMethod, ApiResults, EngineEvent } from '../../../engine/api/contract';
import { engine } from './client';

/**
 * The typed engine call and event subscription that stores use (they keep
 * shared state, so they call the engine themselves). Components and views
 * call the engine through useEngineCall, which adds loading, errors shown
 * once and latest-wins on top of this.
 */
export function callEngine<M extends ApiMethod>(method: M, args?: ApiArgs<M>): Promise<ApiResults[M]> {
  return engine().call(method, args);
}

/** Follow the engine's events; returns the unsubscribe. */
export function onEngineEvent(listener: (event: EngineEvent) => void): () => void {
  return engine().onEvent(listener);
}
