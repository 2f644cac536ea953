import type { TrustList } from '../contract.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** trust.*: the black-box simulators of the open project, and their approval by the person at the machine (engine/trust). */
export function trustHandlers(context: HandlerContext) {
  const list = (): TrustList => {
    const store = context.project();
    return { scope: store.path, simulators: context.trust.list(store) };
  };
  return {
    'trust.list': () => list(),
    'trust.request': ({ fingerprint }) => context.trust.request(context.project(), fingerprint),
    'trust.approve': ({ fingerprint, code }) => {
      context.trust.approveWithCode(context.project(), fingerprint, code);
      return list();
    },
    'trust.revoke': ({ fingerprint }) => {
      context.trust.revoke(context.project(), fingerprint);
      return list();
    },
  } satisfies HandlerPart;
}
