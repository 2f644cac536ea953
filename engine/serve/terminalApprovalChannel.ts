import type { ApprovalChannel } from '../trust/types.js';

/**
 * Web mode's approval channel: `sciope serve` prints what the simulator runs
 * and a one-time code on its own terminal; the person reads it there and
 * types the code into the app (trust.approve). Whoever holds only the web
 * token (a script injected into the page, a leaked URL) never sees the code.
 */
export function terminalApprovalChannel(out: NodeJS.WritableStream): ApprovalChannel {
  return {
    kind: 'code',
    announce(request, code) {
      const body = request.text.replace(/^/gm, '  ');
      out.write(
        `\nsciope serve: the app asks to run a black-box simulator:\n${body}\n  To approve it, type this code in the app: ${code}\n  (valid for 10 minutes; ignore it if you did not ask)\n\n`,
      );
    },
  };
}
