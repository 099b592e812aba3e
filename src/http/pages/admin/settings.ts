// The organisation's settings (admin): every setting of the registry, grouped, saved all or nothing.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { parseSettingValue, SETTINGS, type SettingKey } from '../../../core/settings.js';
import { numberField } from '../forms.js';
import { guarded, pageCtx } from '../guards.js';
import { html } from '../html.js';
import {
  button,
  checkbox,
  field,
  linkButton,
  notice,
  type PageOptions,
  pageHeader,
  postForm,
  select,
} from '../layout.js';
import {
  type AdminContext,
  ENUM_LABEL,
  humanize,
  plainDoc,
  plural,
  SETTING_GROUPS,
  SETTING_LABEL,
} from './shared.js';

export function registerSettings(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, requirePermission, requireSudo } = ctx;
  const keys = Object.keys(SETTINGS) as SettingKey[];
  const groups = [
    ...SETTING_GROUPS.map((g) => ({
      title: g.title,
      keys: g.keys.filter((k): k is SettingKey => k in SETTINGS),
    })),
    {
      title: 'Other settings',
      keys: keys.filter((k) => !SETTING_GROUPS.some((g) => g.keys.includes(k))),
    },
  ].filter((g) => g.keys.length > 0);

  async function settingsPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    values: Record<string, string | number | boolean>,
    errors: Record<string, string>,
    status = 200,
    flash: PageOptions['flash'] = null,
  ) {
    const errorCount = Object.keys(errors).length;
    const control = (k: SettingKey) => {
      const def = SETTINGS[k];
      const label = SETTING_LABEL[k] ?? humanize(k);
      // Where the doc line starts with the label, the hint says only the rest.
      const doc = plainDoc(def.doc);
      const hint = doc.startsWith(label) ? doc.slice(label.length).replace(/^[.;:,\s]+/, '') : doc;
      if (def.type === 'boolean') {
        return html`<input type="hidden" name="${k}" value="false">${checkbox({
          name: k,
          value: 'true',
          id: `f-${k}`,
          label,
          checked: values[k] === true,
          hint: html`${hint} <span class="muted">(<code>${k}</code>)</span>${errors[k] ? html` <strong class="error">${errors[k]}</strong>` : ''}`,
        })}`;
      }
      if (def.type === 'enum') {
        return select({
          name: k,
          label,
          options: def.values.map((v) => ({
            value: v,
            label: ENUM_LABEL[v] ?? v,
            selected: values[k] === v,
          })),
          hint: html`${hint} <span class="muted">(<code>${k}</code>)</span>`,
        });
      }
      if (def.type === 'string') {
        return field({
          name: k,
          label,
          value: String(values[k] ?? ''),
          type: def.format === 'https-url' ? 'url' : 'text',
          maxlength: def.maxLength,
          spellcheck: def.format === 'text',
          hint: html`${hint} <span class="muted">(<code>${k}</code>)</span>`,
          error: errors[k] ?? null,
        });
      }
      return numberField({
        name: k,
        label,
        value: String(values[k] ?? ''),
        min: def.min,
        max: def.max,
        hint: html`${hint} <span class="muted">(${def.min}–${def.max}; <code>${k}</code>)</span>`,
        error: errors[k] ?? null,
      });
    };
    return web.render(req, reply, s, {
      title: 'Settings',
      nav: 'admin-settings',
      status,
      flash,
      body: html`${pageHeader('Settings', 'Rules for the whole organization. Changes apply at once, on every server, and are written to the audit log.')}
${errorCount > 0 ? notice('error', `Nothing was saved. Fix the ${errorCount === 1 ? 'setting' : `${errorCount} settings`} marked below.`) : ''}
${postForm(
  '/admin/settings',
  web.csrf(req, reply),
  html`${groups.map(
    (g) => html`<fieldset class="settings-group"><legend>${g.title}</legend>
${g.keys.map(control)}
</fieldset>
`,
  )}<div class="actions">${button('Save settings')} ${linkButton('/admin/settings', 'Discard changes')}</div>`,
)}`,
    });
  }

  admin.get(
    '/settings',
    guarded(requirePermission('settings.write'), requireSudo('/admin/settings')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const current = await core.settings.getSettings(a);
      const done = q(req, 'done', 16);
      const n = Number.parseInt(q(req, 'n', 4) || '0', 10) || 0;
      return settingsPage(
        req,
        reply,
        s,
        { ...current },
        {},
        200,
        done === 'saved'
          ? {
              kind: 'success',
              text:
                n > 0 ? `Settings saved: ${plural(n, 'change')}.` : 'Settings saved. Nothing had changed.',
            }
          : null,
      );
    },
  );

  admin.post(
    '/settings',
    guarded(requirePermission('settings.write'), requireSudo('/admin/settings')),
    async (req, reply) => {
      const { s, a } = pageCtx(req);
      const before = await core.settings.getSettings(a);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const patch: Record<string, string | number | boolean> = {};
      const shown: Record<string, string | number | boolean> = { ...before };
      const errors: Record<string, string> = {};
      for (const k of keys) {
        let raw = body[k];
        if (raw === undefined) continue;
        // A ticked box sends "false" (the hidden input) then "true": the last one wins.
        if (Array.isArray(raw)) raw = raw[raw.length - 1];
        const def = SETTINGS[k];
        // Text settings may be long; one character more than allowed is enough to refuse it.
        const room = def.type === 'string' ? def.maxLength + 1 : 32;
        const text = typeof raw === 'string' ? raw.trim().slice(0, room) : '';
        shown[k] = def.type === 'boolean' ? text === 'true' : text;
        try {
          patch[k] = parseSettingValue(k, text);
        } catch (e) {
          if (!isLatchkeyError(e)) throw e;
          errors[k] =
            def.type === 'boolean'
              ? 'Tick the box or leave it empty.'
              : def.type === 'integer'
                ? `Enter a whole number from ${def.min} to ${def.max}.`
                : def.type === 'enum'
                  ? `Choose one of: ${def.values.map((v) => ENUM_LABEL[v] ?? v).join(', ')}.`
                  : // The core's sentence says what the text must look like.
                    e.message;
        }
      }
      if (Object.keys(errors).length > 0) return settingsPage(req, reply, s, shown, errors, 400);
      // All or nothing: the core checks every value, then writes them in one transaction.
      const after = Object.keys(patch).length > 0 ? await core.settings.updateSettings(a, patch) : before;
      const changed = keys.filter((k) => before[k] !== after[k]).length;
      return reply.redirect(`/admin/settings?done=saved&n=${changed}`, 303);
    },
  );
}
