// Importing users from CSV (admin): all or nothing, with a report of every row.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { IMPORT_COLUMNS, type ImportReport } from '../../../core/import.js';
import { guarded, pageCtx } from '../guards.js';
import { html } from '../html.js';
import { button, pageHeader, postForm, table, textareaField } from '../layout.js';
import { type AdminContext, plural } from './shared.js';

export function registerImport(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, requirePermission, requireSudo } = ctx;
  const MAX_BYTES = 2 * 1024 * 1024;

  async function importPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    o: { csv?: string; error?: string | null; report?: ImportReport | null; status?: number } = {},
  ) {
    const r = o.report ?? null;
    const failed = r !== null && r.errors.length > 0;
    const result = !r
      ? ''
      : failed
        ? html`<div class="notice notice-error" role="alert"><p class="notice-title">Nothing was imported</p><div class="notice-body"><p>${plural(r.errors.length, 'line needs', 'lines need')} fixing. The file is imported whole or not at all.</p></div></div>
${table({
  caption: 'Lines to fix',
  head: ['Line', 'Problem'],
  rows: r.errors.map((e) => [
    String(e.line),
    html`${e.message} <span class="muted small">(${e.code})</span>`,
  ]),
  empty: '',
})}`
        : html`<div class="notice notice-success" role="status"><p class="notice-title">Import finished</p><div class="notice-body"><p>${plural(r.created, 'user')} created, ${plural(r.updated, 'user')} updated, ${plural(r.unchanged, 'user')} unchanged.${r.created > 0 ? ' New users have no password yet: reset it from their page to give them a one-time password.' : ''}</p></div></div>`;
    return web.render(req, reply, s, {
      title: 'Import users',
      nav: 'admin-import',
      status: o.status ?? 200,
      body: html`${pageHeader('Import users', 'Create or update many users at once from a CSV file. Every line is checked first: if one is wrong, nothing is imported. Importing the same file again changes nothing.')}
${result}
${postForm(
  '/admin/import',
  web.csrf(req, reply),
  html`${textareaField({
    name: 'csv',
    label: 'CSV',
    value: failed || o.error ? (o.csv ?? '') : '',
    rows: 14,
    error: o.error ?? null,
    hint: html`Paste the file. The first line names the columns, from <code>${IMPORT_COLUMNS.join(',')}</code>; <code>username</code> is required. Roles are user, helpdesk or admin; two-step is disabled, enabled or enforced. An empty cell leaves that value as it is. Up to 2 MB here; larger files with <code>latchkey user import FILE</code>.`,
  })}
<div class="actions">${button('Import')}</div>`,
)}`,
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
        return importPage(req, reply, s, { csv, error: 'Paste the CSV text first.', status: 400 });
      let report: ImportReport;
      try {
        report = await core.users.importUsers(a, csv);
      } catch (e) {
        if (isLatchkeyError(e) && e.code === 'CSV_INVALID') {
          return importPage(req, reply, s, {
            csv,
            error: `${e.message} Nothing was imported.`,
            status: 400,
          });
        }
        throw e;
      }
      return importPage(req, reply, s, { csv, report, status: report.errors.length > 0 ? 400 : 200 });
    },
  );
}
