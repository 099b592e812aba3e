// The Apple configuration profile (B8): a new app password, inside a file offered once, that sets up
// mail, calendars and contacts on an iPhone, iPad or Mac.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { deviceServices, profileOffered } from '../../../core/mail-profile.js';
import { errorText, type Words } from '../../i18n/index.js';
import { guarded, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, field, linkButton, notice, pageHeader, postForm } from '../layout.js';
import { atLimitBody, describeServices } from './app-passwords.js';
import { type AccountContext, actorOf } from './index.js';

const APPLE = '/account/app-passwords/apple';

export function appleNotOfferedBody(w: Words): SafeHtml {
  return html`${pageHeader(w.t('account.apple.title'))}${notice('info', w.t('account.apple.notOffered'))}<div class="actions">${linkButton('/account/app-passwords', w.t('account.appPasswords.back'), 'primary')}</div>`;
}

export interface AppleView {
  csrf: string;
  /** The one-time offer the form carries. */
  offer: string;
  /** "mail, calendars and contacts". */
  services: string;
  device: string;
  error: string | null;
}

export function appleBody(w: Words, v: AppleView): SafeHtml {
  return html`${pageHeader(w.t('account.apple.title'), w.t('account.apple.lead', { services: v.services }))}
${notice('warning', w.t('account.apple.warning'))}
${postForm(
  APPLE,
  v.csrf,
  html`<input type="hidden" name="offer" value="${v.offer}">
${field({ name: 'device', label: w.t('account.apple.device'), value: v.device, required: true, maxlength: 64, autofocus: true, error: v.error, hint: w.t('account.apple.deviceHint'), words: w })}
<div class="actions">${button(w.t('account.apple.download'))} ${linkButton('/account/app-passwords', w.t('account.cancel'))}</div>`,
)}`;
}

/** A profile form used twice (`used`), or too old (`expired`): nothing more was created. */
export function appleRefusedBody(w: Words, why: 'used' | 'expired'): SafeHtml {
  return html`${pageHeader(why === 'used' ? w.t('account.apple.used.heading') : w.t('account.apple.expired.heading'))}
${notice('info', why === 'used' ? w.t('account.apple.used.message') : w.t('account.apple.expired.message'))}
<div class="actions">${linkButton('/account/app-passwords', w.t('account.appPasswords.back'), 'primary')} ${linkButton(APPLE, w.t('account.apple.again'))}</div>`;
}

export function registerAppleProfile(app: FastifyInstance, ctx: AccountContext): void {
  const { web, requireAppPasswords } = ctx;
  const { core } = web;
  const { requireSession, requireSudo } = ctx.guards;

  async function applePage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { error?: string | null; device?: string; status?: number } = {},
  ) {
    const w = req.words;
    const settings = await core.settings.current();
    const services = deviceServices(settings);
    const title = w.t('account.apple.title');
    if (!profileOffered(services)) {
      return web.render(req, reply, s, {
        title,
        nav: 'app-passwords',
        status: 404,
        body: appleNotOfferedBody(w),
      });
    }
    const list = await core.appPasswords.listAppPasswords(s.actor, s.user.username);
    if (list.length >= settings.maxAppPasswordsPerUser) {
      return web.render(req, reply, s, {
        title,
        nav: 'app-passwords',
        status: o.status ?? 409,
        body: atLimitBody(w, title, settings.maxAppPasswordsPerUser, 'device'),
      });
    }
    const offer = await core.mailProfile.offerAppleProfile(s.user.id);
    return web.render(req, reply, s, {
      title,
      nav: 'app-passwords',
      status: o.status ?? 200,
      body: appleBody(w, {
        csrf: web.csrf(req, reply),
        offer,
        services: describeServices(w, services),
        device: o.device ?? '',
        error: o.error ?? null,
      }),
    });
  }

  app.get(APPLE, guarded(requireSession, requireAppPasswords, requireSudo(APPLE)), async (req, reply) => {
    const s = pageOf(req).session;
    return applePage(req, reply, s);
  });

  app.post(APPLE, guarded(requireSession, requireAppPasswords, requireSudo(APPLE)), async (req, reply) => {
    const s = pageOf(req).session;
    const device = web.str(req.body, 'device', 300);
    let profile: Awaited<ReturnType<typeof core.mailProfile.issueAppleProfile>>;
    try {
      profile = await core.mailProfile.issueAppleProfile(
        actorOf(req, s),
        s.user,
        device,
        web.str(req.body, 'offer', 64),
        await ctx.profileSigner(),
      );
    } catch (e) {
      if (isLatchkeyError(e) && (e.code === 'FLOW_STEP' || e.code === 'FLOW_EXPIRED')) {
        req.log.info({ code: e.code }, 'Apple profile refused: its form was used already or is old');
        return web.render(req, reply, s, {
          title: req.words.t('account.apple.used.title'),
          nav: 'app-passwords',
          status: e.code === 'FLOW_STEP' ? 409 : 410,
          body: appleRefusedBody(req.words, e.code === 'FLOW_STEP' ? 'used' : 'expired'),
        });
      }
      if (isLatchkeyError(e) && e.status < 500) {
        req.log.info({ code: e.code }, 'Apple profile not created');
        return applePage(req, reply, s, {
          error: errorText(req.words, e),
          device: device.slice(0, 64),
          status: e.code === 'APP_PASSWORD_LIMIT' ? 409 : 400,
        });
      }
      throw e;
    }
    req.log.info(
      { appPasswordId: profile.appPassword.id, signed: profile.signed },
      'Apple configuration profile issued',
    );
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${profile.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .type('application/x-apple-aspen-config')
      .send(profile.body);
  });
}
