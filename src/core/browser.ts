// Browser sign-in (spec §3, browser door; issue 4), put together from its three rooms:
//   browser/flows.ts     the sign-in steps, and the second-step check of every flow
//   browser/sessions.ts  sessions (create, read, revoke), form tokens, remembered devices
//   browser/sudo.ts      sudo mode (B7): fresh strong checks before sensitive changes
//   browser/shared.ts    the views they hand out, browser tokens, flow rows
// The store mirrors them (store/flows.ts, store/sessions.ts). Pages see one object, core.browser, and
// what it hands out are views: a session's person is a BrowserUser, never a users row.

import { makeFlows } from './browser/flows.js';
import { makeSessions } from './browser/sessions.js';
import { type Decider, makeFlowRows, tokenHasher } from './browser/shared.js';
import { makeSudo } from './browser/sudo.js';
import type { CoreContext } from './context.js';

export {
  type BrowserUser,
  type Client,
  type Finished,
  FLOW_MINUTES,
  type FlowKind,
  type FlowStep,
  type FlowView,
  type PasswordRefusal,
  type SessionView,
  SUDO_MINUTES,
  type Verification,
} from './browser/shared.js';

export function makeBrowser(ctx: CoreContext, decider: Decider) {
  const hash = tokenHasher(ctx);
  const rows = makeFlowRows(ctx, hash);
  const sessions = makeSessions(ctx, hash);
  const sudo = makeSudo(ctx, decider, rows, sessions);
  const flows = makeFlows(ctx, decider, rows, sessions, sudo);
  return {
    // ---- sign-in steps (flows.ts)
    start: flows.start,
    getFlow: flows.getFlow,
    changePassword: flows.changePassword,
    totpSetup: flows.totpSetup,
    webAuthnRegistration: flows.webAuthnRegistration,
    register: flows.register,
    recoveryCodes: flows.recoveryCodes,
    recoveryCodesSaved: flows.recoveryCodesSaved,
    firstAppPassword: flows.firstAppPassword,
    finishRegistration: flows.finishRegistration,
    webAuthnChallenge: flows.webAuthnChallenge,
    verifyTwoStep: flows.verifyTwoStep,
    portalWebAuthnOptions: flows.portalWebAuthnOptions,
    portalAddWebAuthn: flows.portalAddWebAuthn,

    // ---- sessions (sessions.ts)
    session: sessions.session,
    csrfToken: sessions.csrfToken,
    checkCsrf: sessions.checkCsrf,
    signOut: sessions.signOut,
    signOutEverywhere: sessions.signOutEverywhere,
    listSessions: sessions.listSessions,
    touchRememberedDevice: sessions.touchRememberedDevice,

    // ---- sudo mode (sudo.ts)
    isSudo: sudo.isSudo,
    startSudo: sudo.startSudo,
    changeOwnPassword: sudo.changeOwnPassword,

    /** Expired flows, sessions and remembered devices (housekeeping). */
    async prune(): Promise<void> {
      await flows.prune();
      await sessions.prune();
    },
  };
}

export type Browser = ReturnType<typeof makeBrowser>;
