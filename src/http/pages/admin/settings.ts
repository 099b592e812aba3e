// The organisation's settings (admin): every setting of the registry, grouped, saved all or nothing.
// Each setting's label and hint are the catalogue's (SETTING_WORDS: a setting the registry gains
// without words here does not compile); the registry keeps its English doc lines for the docs and the
// API. settingsBody() draws the form from a typed view, so it can be checked without a server.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { isLatchkeyError } from '../../../core/errors.js';
import { parseSettingValue, SETTINGS, type SettingKey } from '../../../core/settings.js';
import { isLang, type Key, type Words, wordsFor } from '../../i18n/index.js';
import { numberField } from '../forms.js';
import { guarded, pageCtx } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
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
import type { AdminContext } from './shared.js';

/** Each setting's label and hint on the page. */
export const SETTING_WORDS = {
  allowAppPasswords: {
    label: 'admin.common.setting.allowAppPasswords',
    hint: 'admin.settings.hint.allowAppPasswords',
  },
  maxAppPasswordsPerUser: {
    label: 'admin.common.setting.maxAppPasswordsPerUser',
    hint: 'admin.settings.hint.maxAppPasswordsPerUser',
  },
  revokeAppPasswordsOnPasswordChange: {
    label: 'admin.common.setting.revokeAppPasswordsOnPasswordChange',
    hint: 'admin.settings.hint.revokeAppPasswordsOnPasswordChange',
  },
  autoRevokeUnusedAppPasswordsDays: {
    label: 'admin.common.setting.autoRevokeUnusedAppPasswordsDays',
    hint: 'admin.settings.hint.autoRevokeUnusedAppPasswordsDays',
  },
  requireAppPasswordsForNonBrowser: {
    label: 'admin.common.setting.requireAppPasswordsForNonBrowser',
    hint: 'admin.settings.hint.requireAppPasswordsForNonBrowser',
  },
  requireTwoStepForEveryone: {
    label: 'admin.common.setting.requireTwoStepForEveryone',
    hint: 'admin.settings.hint.requireTwoStepForEveryone',
  },
  lockoutThreshold: {
    label: 'admin.common.setting.lockoutThreshold',
    hint: 'admin.settings.hint.lockoutThreshold',
  },
  lockoutSeconds: {
    label: 'admin.common.setting.lockoutSeconds',
    hint: 'admin.settings.hint.lockoutSeconds',
  },
  rememberDeviceDays: {
    label: 'admin.common.setting.rememberDeviceDays',
    hint: 'admin.settings.hint.rememberDeviceDays',
  },
  sessionLifetimeMinutes: {
    label: 'admin.common.setting.sessionLifetimeMinutes',
    hint: 'admin.settings.hint.sessionLifetimeMinutes',
  },
  signInLogRetentionDays: {
    label: 'admin.common.setting.signInLogRetentionDays',
    hint: 'admin.settings.hint.signInLogRetentionDays',
  },
  organizationName: {
    label: 'admin.common.setting.organizationName',
    hint: 'admin.settings.hint.organizationName',
  },
  mailDomains: { label: 'admin.common.setting.mailDomains', hint: 'admin.settings.hint.mailDomains' },
  mailLoginName: { label: 'admin.common.setting.mailLoginName', hint: 'admin.settings.hint.mailLoginName' },
  imapHost: { label: 'admin.common.setting.imapHost', hint: 'admin.settings.hint.imapHost' },
  imapPort: { label: 'admin.common.setting.imapPort', hint: 'admin.settings.hint.imapPort' },
  imapSecurity: { label: 'admin.common.setting.imapSecurity', hint: 'admin.settings.hint.security' },
  smtpHost: { label: 'admin.common.setting.smtpHost', hint: 'admin.settings.hint.smtpHost' },
  smtpPort: { label: 'admin.common.setting.smtpPort', hint: 'admin.settings.hint.smtpPort' },
  smtpSecurity: { label: 'admin.common.setting.smtpSecurity', hint: 'admin.settings.hint.security' },
  calDavUrl: { label: 'admin.common.setting.calDavUrl', hint: 'admin.settings.hint.calDavUrl' },
  cardDavUrl: { label: 'admin.common.setting.cardDavUrl', hint: 'admin.settings.hint.cardDavUrl' },
  defaultLanguage: {
    label: 'admin.settings.label.defaultLanguage',
    hint: 'admin.settings.hint.defaultLanguage',
  },
  timeZone: { label: 'admin.settings.label.timeZone', hint: 'admin.settings.hint.timeZone' },
} as const satisfies Record<SettingKey, { label: Key; hint: Key }>;

/** The choices of the choice settings that are words (a language names itself in its own words). */
const CHOICE_WORDS: Readonly<Record<string, Key>> = {
  address: 'admin.common.enum.address',
  username: 'admin.common.enum.username',
  ssl: 'admin.common.enum.ssl',
  starttls: 'admin.common.enum.starttls',
};

function choice(w: Words, value: string): string {
  if (isLang(value)) return wordsFor(value).t('language.name');
  const k = Object.hasOwn(CHOICE_WORDS, value) ? CHOICE_WORDS[value] : undefined;
  return k === undefined ? value : w.t(k as 'admin.common.enum.ssl');
}

const GROUPS: { title: Key; keys: SettingKey[] }[] = [
  {
    title: 'admin.common.settingGroup.appPasswords',
    keys: [
      'allowAppPasswords',
      'maxAppPasswordsPerUser',
      'revokeAppPasswordsOnPasswordChange',
      'autoRevokeUnusedAppPasswordsDays',
      'requireAppPasswordsForNonBrowser',
    ],
  },
  { title: 'admin.common.settingGroup.twoStep', keys: ['requireTwoStepForEveryone', 'rememberDeviceDays'] },
  { title: 'admin.common.settingGroup.lockout', keys: ['lockoutThreshold', 'lockoutSeconds'] },
  { title: 'admin.common.settingGroup.sessions', keys: ['sessionLifetimeMinutes', 'signInLogRetentionDays'] },
  {
    title: 'admin.common.settingGroup.mail',
    keys: [
      'organizationName',
      'mailDomains',
      'mailLoginName',
      'imapHost',
      'imapPort',
      'imapSecurity',
      'smtpHost',
      'smtpPort',
      'smtpSecurity',
      'calDavUrl',
      'cardDavUrl',
    ],
  },
  { title: 'admin.settings.group.language', keys: ['defaultLanguage', 'timeZone'] },
];

const KEYS = Object.keys(SETTINGS) as SettingKey[];
/** The groups with the settings the registry has; any setting in none goes under "Other settings". */
const SHOWN: { title: Key; keys: SettingKey[] }[] = [
  ...GROUPS.map((g) => ({ title: g.title, keys: g.keys.filter((k) => k in SETTINGS) })),
  {
    title: 'admin.settings.group.other' as Key,
    keys: KEYS.filter((k) => !GROUPS.some((g) => g.keys.includes(k))),
  },
].filter((g) => g.keys.length > 0);

/** Why a value was refused: by the setting's type, and for text by its format. */
export type SettingProblem =
  | 'boolean'
  | 'integer'
  | 'enum'
  | 'tooLong'
  | 'text'
  | 'host'
  | 'domains'
  | 'https-url'
  | 'time-zone';

/** What the settings form shows: the values (as saved, or as typed when refused) and the problems. */
export interface SettingsView {
  values: Record<string, string | number | boolean>;
  problems: Partial<Record<SettingKey, SettingProblem>>;
  csrf: string;
}

/** A refusal in the page's words. */
export function problemText(w: Words, k: SettingKey, p: SettingProblem): string {
  const def = SETTINGS[k];
  switch (p) {
    case 'boolean':
      return w.t('admin.settings.error.boolean');
    case 'integer':
      return def.type === 'integer'
        ? // As typed into the field: no digit grouping.
          w.t('admin.settings.error.integer', { min: String(def.min), max: String(def.max) })
        : w.t('admin.settings.error.boolean');
    case 'enum':
      return w.t('admin.settings.error.enum', {
        choices: def.type === 'enum' ? def.values.map((v) => choice(w, v)).join(', ') : '',
      });
    case 'tooLong':
      return w.t('admin.settings.error.tooLong', { count: def.type === 'string' ? def.maxLength : 0 });
    case 'text':
      return w.t('admin.settings.error.text');
    case 'host':
      return w.t('admin.settings.error.host');
    case 'domains':
      return w.t('admin.settings.error.domains');
    case 'https-url':
      return w.t('admin.settings.error.url');
    case 'time-zone':
      return w.t('admin.settings.error.timeZone');
  }
}

/** The settings form as HTML: a plain function of its view and the page's words. */
export function settingsBody(v: SettingsView, w: Words): SafeHtml {
  const { values, problems } = v;
  const errorCount = Object.keys(problems).length;
  const control = (k: SettingKey) => {
    const def = SETTINGS[k];
    const label = w.t(SETTING_WORDS[k].label);
    const hint = w.t(SETTING_WORDS[k].hint);
    const p = problems[k];
    const error = p ? problemText(w, k, p) : null;
    if (def.type === 'boolean') {
      return html`<input type="hidden" name="${k}" value="false">${checkbox({
        name: k,
        value: 'true',
        id: `f-${k}`,
        label,
        checked: values[k] === true,
        hint: html`${hint} <span class="muted">(<code>${k}</code>)</span>${error ? html` <strong class="error">${error}</strong>` : ''}`,
      })}`;
    }
    if (def.type === 'enum') {
      return select({
        name: k,
        label,
        options: def.values.map((value) => ({
          value,
          label: choice(w, value),
          selected: values[k] === value,
        })),
        hint: html`${hint} <span class="muted">(<code>${k}</code>)</span>`,
        error,
        words: w,
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
        error,
        words: w,
      });
    }
    return numberField({
      name: k,
      label,
      value: String(values[k] ?? ''),
      min: def.min,
      max: def.max,
      hint: html`${hint} <span class="muted">(${def.min}–${def.max}; <code>${k}</code>)</span>`,
      error,
    });
  };
  return html`${pageHeader(w.t('admin.settings.title'), w.t('admin.settings.lead'))}
${errorCount > 0 ? notice('error', w.t('admin.settings.notSaved', { count: errorCount })) : ''}
${postForm(
  '/admin/settings',
  v.csrf,
  html`${SHOWN.map(
    (
      g,
    ) => html`<fieldset class="settings-group"><legend>${w.t(g.title as 'admin.settings.group.other')}</legend>
${g.keys.map(control)}
</fieldset>
`,
  )}<div class="actions">${button(w.t('admin.settings.save'))} ${linkButton('/admin/settings', w.t('admin.settings.discard'))}</div>`,
)}`;
}

/** Why the core refused a value, by the setting's type and format; the text's length is checked here. */
function problemOf(k: SettingKey, text: string): SettingProblem {
  const def = SETTINGS[k];
  if (def.type === 'boolean') return 'boolean';
  if (def.type === 'integer') return 'integer';
  if (def.type === 'enum') return 'enum';
  if (text.length > def.maxLength) return 'tooLong';
  return def.format;
}

export function registerSettings(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, requirePermission, requireSudo } = ctx;

  async function settingsPage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    values: Record<string, string | number | boolean>,
    problems: Partial<Record<SettingKey, SettingProblem>>,
    status = 200,
    flash: PageOptions['flash'] = null,
  ) {
    const w = req.words;
    return web.render(req, reply, s, {
      title: w.t('admin.settings.title'),
      nav: 'admin-settings',
      status,
      flash,
      body: settingsBody({ values, problems, csrf: web.csrf(req, reply) }, w),
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
          ? { kind: 'success', text: req.words.t('admin.settings.saved', { count: n }) }
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
      const problems: Partial<Record<SettingKey, SettingProblem>> = {};
      for (const k of KEYS) {
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
          problems[k] = problemOf(k, text);
        }
      }
      if (Object.keys(problems).length > 0) return settingsPage(req, reply, s, shown, problems, 400);
      // All or nothing: the core checks every value, then writes them in one transaction.
      const after = Object.keys(patch).length > 0 ? await core.settings.updateSettings(a, patch) : before;
      const changed = KEYS.filter((k) => before[k] !== after[k]).length;
      return reply.redirect(`/admin/settings?done=saved&n=${changed}`, 303);
    },
  );
}
