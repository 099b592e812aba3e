// Help, for people whose apps are refused: readable signed in or not.

import type { FastifyInstance } from 'fastify';
import type { Words } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { page, pageHeader } from '../layout.js';
import type { AccountContext } from './index.js';

export function helpBody(w: Words): SafeHtml {
  const link = (href: string, text: string) => html`<a href="${href}">${text}</a>`;
  const step = (title: string, body: SafeHtml | string) => html`<li><strong>${title}</strong> ${body}</li>`;
  return html`${pageHeader(w.t('account.help.title'))}
<section class="card-section" aria-labelledby="h-ap">
<h2 id="h-ap">${w.t('account.help.appPasswords.heading')}</h2>
<ol class="steps">
${step(w.t('account.help.appPasswords.retype.title'), w.t('account.help.appPasswords.retype.body'))}
${step(w.t('account.help.appPasswords.new.title'), w.markup('account.help.appPasswords.new.body', { appPasswords: link('/account/app-passwords', w.t('nav.appPasswords')) }))}
${step(w.t('account.help.appPasswords.signIns.title'), w.markup('account.help.appPasswords.signIns.body', { signIns: link('/account/sign-ins', w.t('nav.signIns')) }))}
${step(w.t('account.help.appPasswords.helpdesk.title'), w.t('account.help.appPasswords.helpdesk.body'))}
</ol>
</section>
<section class="card-section" aria-labelledby="h-what">
<h2 id="h-what">${w.t('account.help.what.heading')}</h2>
<p>${w.t('account.help.what.body')}</p>
</section>
<section class="card-section" aria-labelledby="h-lost">
<h2 id="h-lost">${w.t('account.help.lost.heading')}</h2>
<p>${w.markup('account.help.lost.body', { security: link('/account', w.t('nav.security')) })}</p>
</section>`;
}

export function registerHelp(app: FastifyInstance, ctx: AccountContext): void {
  const { web } = ctx;
  app.get('/help', async (req, reply) => {
    const s = await web.session(req);
    const w = req.words;
    const body = helpBody(w);
    if (!s) return web.html(reply, page({ title: w.t('account.help.title'), body, narrow: false, words: w }));
    return web.render(req, reply, s, { title: w.t('account.help.title'), nav: 'help', body });
  });
}
