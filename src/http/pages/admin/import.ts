// Importing users from CSV (admin): all or nothing, with a report of every row, drawn by importBody
// in the request's words.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { IMPORT_COLUMNS, type ImportReport } from '../../../core/import.js';
import { ENGLISH, errorText, refusalText, type Words } from '../../i18n/index.js';
import { guarded, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import { button, pageHeader, postForm, table, textareaField } from '../layout.js';
import type { AdminContext } from './shared.js';

/** What the import page shows: the form (with the text sent back after a refusal) and the last report. */
export interface ImportView {
  csv: string;
  error: string | null;
  report: ImportReport | null;
  csrf: string;
}

/** The import page in the page's words: a plain function of its view. */
export function importBody(v: ImportView, w: Words = ENGLISH): SafeHtml {
  const r = v.report;
  const failed = r !== null && r.errors.length > 0;
  // Three counts, each its own plural message, as a list in the language's own way.
  const counts = (x: ImportReport) =>
    new Intl.ListFormat(w.lang, { type: 'unit', style: 'short' }).format([
      w.t('admin.import.done.created', { count: x.created }),
      w.t('admin.import.done.updated', { count: x.updated }),
      w.t('admin.import.done.unchanged', { count: x.unchanged }),
    ]);
  const result = !r
    ? ''
    : failed
      ? html`<div class="notice notice-error" role="alert"><p class="notice-title">${w.t('admin.import.failed.title')}</p><div class="notice-body"><p>${w.t('admin.import.failed.body', { count: r.errors.length })}</p></div></div>
${table({
  caption: w.t('admin.import.failed.caption'),
  head: [w.t('admin.import.failed.line'), w.t('admin.import.failed.problem')],
  rows: r.errors.map((e) => [
    w.number(e.line),
    html`${refusalText(w, e)} <span class="muted small">(${e.code})</span>`,
  ]),
  empty: '',
})}`
      : html`<div class="notice notice-success" role="status"><p class="notice-title">${w.t('admin.import.done.title')}</p><div class="notice-body"><p>${counts(r)}.${r.created > 0 ? ` ${w.t('admin.import.done.newUsers')}` : ''}</p></div></div>`;
  return html`${pageHeader(w.t('admin.import.title'), w.t('admin.import.lead'))}
${result}
${postForm(
  '/admin/import',
  v.csrf,
  html`${textareaField({
    name: 'csv',
    label: w.t('admin.import.csv.label'),
    value: failed || v.error ? v.csv : '',
    rows: 14,
    error: v.error,
    hint: w.markup('admin.import.csv.hint', {
      columns: html`<code>${IMPORT_COLUMNS.join(',')}</code>`,
      username: html`<code>username</code>`,
      command: html`<code>latchkey user import FILE</code>`,
    }),
    words: w,
  })}
<div class="actions">${button(w.t('admin.import.submit'))}</div>`,
)}`;
}

export function registerImport(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, requirePermission, requireSudo } = ctx;
  const MAX_BYTES = 2 * 1024 * 1024;

  async function importPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { csv?: string; error?: string | null; report?: ImportReport | null; status?: number } = {},
  ) {
    return web.render(req, reply, s, {
      title: req.words.t('admin.import.title'),
      nav: 'admin-import',
      status: o.status ?? 200,
      body: importBody(
        { csv: o.csv ?? '', error: o.error ?? null, report: o.report ?? null, csrf: web.csrf(req, reply) },
        req.words,
      ),
    });
  }

  admin.get(
    '/import',
    guarded(requirePermission('user.create'), requireSudo('/admin/import')),
    async (req, reply) => {
      const { s } = pageCtx(req);
      return importPage(req, reply, s);
    },
  );

  admin.post(
    '/import',
    { bodyLimit: MAX_BYTES, ...guarded(requirePermission('user.create'), requireSudo('/admin/import')) },
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const csv = web.str(req.body, 'csv', MAX_BYTES);
      if (csv.trim() === '')
        return importPage(req, reply, s, {
          csv,
          error: req.words.t('admin.import.error.empty'),
          status: 400,
        });
      let report: ImportReport;
      try {
        report = await core.users.importUsers(a, csv);
      } catch (e) {
        if (isLatchkeyError(e) && e.code === 'CSV_INVALID') {
          return importPage(req, reply, s, {
            csv,
            error: req.words.t('admin.import.error.invalid', { message: errorText(req.words, e) }),
            status: 400,
          });
        }
        throw e;
      }
      return importPage(req, reply, s, { csv, report, status: report.errors.length > 0 ? 400 : 200 });
    },
  );
}
