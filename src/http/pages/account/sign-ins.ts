// The person's own recent sign-ins (B4), each in plain words they can act on.

import type { FastifyInstance } from 'fastify';
import type { SignInEventView } from '../../../core/sign-in-log.js';
import type { Words } from '../../i18n/index.js';
import { guarded, pageOf } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { pageHeader, table, timeAgo } from '../layout.js';
import { describeSignIn, repeats } from '../sign-in-events.js';
import type { AccountContext } from './index.js';

/** How many of their sign-ins a person sees. */
const SHOWN = 50;

export interface SignInsView {
  now: number;
  events: SignInEventView[];
}

export function signInsBody(w: Words, v: SignInsView): SafeHtml {
  return html`${pageHeader(w.t('account.signIns.title'), w.t('account.signIns.lead', { count: SHOWN }))}
${table({
  caption: w.t('account.signIns.caption'),
  head: [
    w.t('account.signIns.when'),
    w.t('account.signIns.what'),
    w.t('account.signIns.from'),
    w.t('account.signIns.result'),
  ],
  rows: v.events.map((e) => [
    html`${timeAgo(Date.parse(e.lastAt), v.now, w)}${e.count > 1 ? html`<br><span class="muted small">${repeats(e, v.now, w)}</span>` : ''}`,
    describeSignIn(e, 'self', w),
    e.ip ?? '—',
    e.result === 'accepted'
      ? html`<span class="badge badge-ok">${w.t('account.signIns.accepted')}</span>`
      : html`<span class="badge badge-bad">${w.t('account.signIns.refused')}</span>`,
  ]),
  empty: w.t('account.signIns.empty'),
})}`;
}

export function registerSignIns(app: FastifyInstance, ctx: AccountContext): void {
  const { web } = ctx;
  const { core } = web;
  const { requireSession } = ctx.guards;

  app.get('/account/sign-ins', guarded(requireSession), async (req, reply) => {
    const s = pageOf(req).session;
    const view: SignInsView = {
      now: core.now(),
      events: await core.signInLog.listSignIns(s.actor, { username: s.user.username, limit: SHOWN }),
    };
    return web.render(req, reply, s, {
      title: req.words.t('account.signIns.title'),
      nav: 'sign-ins',
      body: signInsBody(req.words, view),
    });
  });
}
