// My account: security info (methods, recovery codes, remembered devices, sessions, language), app
// passwords exactly as R4–R9 describe them, change password (B3), the person's own sign-ins in plain
// words, and help. One file per area; this one wires them and holds what they share. Changes to
// methods, the password and new app passwords need a recent two-step check (sudo mode, B7): without one
// the page asks for it and then comes back.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { type CmsSigner, createCmsSigner } from '../../../crypto/cms-sign.js';
import type { Words } from '../../i18n/index.js';
import type { Web } from '../../web.js';
import { registerAppAccessPages } from '../apps.js';
import { type Guard, named, type PageGuards, pageGuards, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { notice, pageHeader } from '../layout.js';
import { registerAppPasswords } from './app-passwords.js';
import { registerAppleProfile } from './apple-profile.js';
import { registerHelp } from './help.js';
import { registerMethods } from './methods.js';
import { registerPassword } from './password.js';
import { registerSecurity } from './security.js';
import { registerSignIns } from './sign-ins.js';

export interface AccountPagesOptions {
  /** The server's TLS certificate and key (PEM): Apple profiles are signed with them when set. */
  tls?: { cert: Buffer; key: Buffer } | null;
}

/** What every area of the account pages is given. */
export interface AccountContext {
  web: Web;
  guards: PageGuards;
  /** The app-password pages exist for this person (else a 404 that says why). */
  requireAppPasswords: Guard;
  /** The signer of Apple profiles, or null when they go out unsigned. */
  profileSigner(): Promise<CmsSigner | null>;
}

/** The person as the actor of a change, with this request's address. */
export function actorOf(req: FastifyRequest, s: SessionView): SessionView['actor'] & { ip: string } {
  return { ...s.actor, ip: req.ip };
}

/** A JSON field of a form (a WebAuthn response), or null when it is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Why the app-password pages are not there for this person. */
export interface NoAppPasswordsView {
  /** The organization allows app passwords (so it is this person's two-step that is off). */
  allowed: boolean;
}

export function noAppPasswordsBody(w: Words, v: NoAppPasswordsView): SafeHtml {
  return html`${pageHeader(w.t('account.appPasswords.title'))}${notice('info', v.allowed ? w.t('account.appPasswords.twoStepOff') : w.t('account.appPasswords.notAllowed'))}`;
}

export function registerAccountPages(app: FastifyInstance, web: Web, opts: AccountPagesOptions = {}): void {
  const { core } = web;
  // Read once, at the first profile: a certificate that cannot sign leaves profiles unsigned, and says why.
  let signer: Promise<CmsSigner | null> | null = null;
  const profileSigner = (): Promise<CmsSigner | null> => {
    const tls = opts.tls ?? null;
    signer ??=
      tls === null
        ? Promise.resolve(null)
        : createCmsSigner(tls.cert.toString('utf8'), tls.key.toString('utf8')).catch((e: Error) => {
            app.log.warn(
              { reason: e.message },
              'Apple profiles go out unsigned: the TLS certificate cannot sign',
            );
            return null;
          });
    return signer;
  };
  registerAppAccessPages(app, web);

  /**
   * The app-password pages exist for this person only when their organization allows app passwords
   * and they have a use for them (two-step on, or app passwords required for every app); else a 404
   * that says why.
   */
  const requireAppPasswords = named('app-passwords', async (req, reply) => {
    const s = pageOf(req).session;
    if (await web.showAppPasswords(s)) return;
    const settings = await core.settings.current();
    await web.render(req, reply, s, {
      title: req.words.t('account.appPasswords.title'),
      nav: null,
      status: 404,
      body: noAppPasswordsBody(req.words, { allowed: settings.allowAppPasswords }),
    });
    return reply;
  });

  const ctx: AccountContext = { web, guards: pageGuards(web), requireAppPasswords, profileSigner };
  registerSecurity(app, ctx);
  registerMethods(app, ctx);
  registerAppPasswords(app, ctx);
  registerAppleProfile(app, ctx);
  registerPassword(app, ctx);
  registerSignIns(app, ctx);
  registerHelp(app, ctx);
}
