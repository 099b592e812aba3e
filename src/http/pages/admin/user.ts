// One user's page (account, two-step, app passwords, apps with access, lockout, recent sign-ins) and
// the support actions on it, each with its permission, its plain-words confirmation and sudo mode.
// The handlers build typed views from the core; plain functions draw them in the request's words
// (userPageBody, confirmBody, oneTimePasswordBody, unavailableBody, removeAppBody, flashText), so the
// pages can be checked without a server, in every language.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isLatchkeyError, LatchkeyError } from '../../../core/errors.js';
import type { Core } from '../../../core/index.js';
import type { LockoutStatus } from '../../../core/lockout.js';
import type { AppAccessView } from '../../../core/oidc-access.js';
import type { Action, Actor } from '../../../core/policy.js';
import type { Settings } from '../../../core/settings.js';
import type { SignInEventView } from '../../../core/sign-in-log.js';
import { ROLES, TWO_STEP_STATES } from '../../../core/validate.js';
import { ENGLISH, type Words } from '../../i18n/index.js';
import { appAccessTable, lastUsedNote, removeDetail } from '../apps.js';
import { badge, section } from '../forms.js';
import { guarded, loader, pageCtx, step } from '../guards.js';
import { html, type SafeHtml } from '../html.js';
import {
  button,
  definitionList,
  linkButton,
  notice,
  pageHeader,
  postForm,
  secretBox,
  select,
  table,
  timeAgo,
} from '../layout.js';
import { describeSignIn, doorLabel, repeats } from '../sign-in-events.js';
import {
  type AdminContext,
  appRemovePath,
  COUNTER_KEY,
  label,
  METHOD_KIND_KEY,
  REASON_KEY,
  ROLE_KEY,
  STATE_KEY,
  STATE_OPTION_KEY,
  STATUS_KEY,
  type Target,
  userPath,
  who,
} from './shared.js';

// ---- the actions

export type ActionSlug =
  | 'disable'
  | 'enable'
  | 'reset-password'
  | 'two-step'
  | 'role'
  | 'reregister'
  | 'forget-devices'
  | 'delete-app-passwords'
  | 'unlock';

/** The settings an action's words depend on. */
export type ActionSettings = Pick<
  Settings,
  'revokeAppPasswordsOnPasswordChange' | 'requireTwoStepForEveryone' | 'requireAppPasswordsForNonBrowser'
>;

/** What an action did: a flash on the user's page (`done`, with a count), or a one-time password to show. */
export type ActionResult =
  | { done: DoneCode; n?: number }
  | { oneTimePassword: string; appPasswordsDeleted: number };

export interface UserAction {
  slug: ActionSlug;
  permission: Action;
  /** The helpdesk may do it to plain users only: the target's role is part of the check. */
  roleBound: boolean;
  /** Asked first with a Yes/No page; without it the user page posts straight away. */
  confirm: boolean;
  danger: boolean;
  /** A choice that comes with the action: the new two-step state, the new role. */
  param?: { name: string; values: readonly string[]; invalid: ErrorCode; current(t: Target): string };
  /** Why it cannot be done now, in words, or null. */
  unavailable?(w: Words, t: Target): string | null;
  title(w: Words): string;
  question(w: Words, t: Target, value: string): string;
  detail(w: Words, t: Target, value: string, settings: ActionSettings): string;
  yes?(w: Words): string;
  run(core: Core, actor: Actor, t: Target, value: string): Promise<ActionResult>;
}

/** Whole sentences, each from the catalogue, one after the other. */
const sentences = (...xs: (string | false)[]) => xs.filter((x): x is string => !!x).join(' ');

export const ACTIONS: readonly UserAction[] = [
  {
    slug: 'disable',
    permission: 'user.disable',
    roleBound: false,
    confirm: true,
    danger: true,
    unavailable: (w, t) =>
      t.u.status === 'disabled'
        ? w.t('admin.user.disable.already')
        : t.self
          ? w.t('admin.user.disable.self')
          : null,
    title: (w) => w.t('admin.user.disable.title'),
    question: (w, t) => w.t('admin.user.disable.question', { name: who(t.u) }),
    detail: (w, t) => w.t('admin.user.disable.detail', { name: who(t.u) }),
    yes: (w) => w.t('admin.user.disable.yes'),
    run: async (core, a, t) => {
      await core.users.setUserDisabled(a, t.u.username, true);
      return { done: 'disabled' };
    },
  },
  {
    slug: 'enable',
    permission: 'user.disable',
    roleBound: false,
    confirm: false,
    danger: false,
    title: (w) => w.t('admin.user.enable.title'),
    question: (w, t) => w.t('admin.user.enable.question', { name: who(t.u) }),
    detail: () => '',
    run: async (core, a, t) => {
      await core.users.setUserDisabled(a, t.u.username, false);
      return { done: 'enabled' };
    },
  },
  {
    slug: 'reset-password',
    permission: 'user.resetPassword',
    roleBound: true,
    confirm: true,
    danger: true,
    unavailable: (w, t) => (t.self ? w.t('admin.user.resetPassword.self') : null),
    title: (w) => w.t('admin.user.resetPassword.title'),
    question: (w, t) => w.t('admin.user.resetPassword.question', { name: who(t.u) }),
    detail: (w, t, _v, settings) =>
      sentences(
        w.t('admin.user.resetPassword.detail'),
        settings.revokeAppPasswordsOnPasswordChange &&
          t.apps.length > 0 &&
          w.t('admin.user.resetPassword.detailApps', { count: t.apps.length }),
      ),
    yes: (w) => w.t('admin.user.resetPassword.yes'),
    run: async (core, a, t) => {
      const r = await core.users.setPassword(a, t.u.username, null);
      return { oneTimePassword: r.generated ?? '', appPasswordsDeleted: r.appPasswordsDeleted };
    },
  },
  {
    slug: 'two-step',
    permission: 'twoStep.set',
    roleBound: false,
    confirm: true,
    danger: false,
    param: {
      name: 'state',
      values: TWO_STEP_STATES,
      invalid: 'TWO_STEP_STATE_INVALID',
      current: (t) => t.u.twoStep,
    },
    title: (w) => w.t('admin.user.twoStep.title'),
    question: (w, t, v) => {
      const name = who(t.u);
      if (v === 'disabled') return w.t('admin.user.twoStep.question.disabled', { name });
      if (v === 'enabled') return w.t('admin.user.twoStep.question.enabled', { name });
      return w.t('admin.user.twoStep.question.enforced', { name });
    },
    detail: (w, t, v, settings) => {
      const name = who(t.u);
      const count = t.apps.length;
      if (v === 'disabled') {
        // The rule of dropAppPasswordsIfTwoStepOff (core/two-step.ts), in words.
        const kept = count > 0 && w.t('admin.user.twoStep.off.appsStay', { name, count });
        if (settings.requireTwoStepForEveryone)
          return sentences(w.t('admin.user.twoStep.off.everyone'), kept);
        if (settings.requireAppPasswordsForNonBrowser) {
          return sentences(w.t('admin.user.twoStep.off.appsRequired', { name }), kept);
        }
        return sentences(
          w.t('admin.user.twoStep.off.plain', { name }),
          count > 0 && w.t('admin.user.twoStep.off.appsDeleted', { name, count }),
        );
      }
      const setUp = t.methods.methods.length === 0 && w.t('admin.user.twoStep.on.noMethod', { name });
      return v === 'enabled'
        ? sentences(
            w.t('admin.user.twoStep.on.enabled', { name }),
            setUp,
            w.t('admin.user.twoStep.on.enabledApps'),
          )
        : sentences(w.t('admin.user.twoStep.on.enforced'), setUp);
    },
    run: async (core, a, t, v) => {
      const r = await core.twoStep.setTwoStepState(a, t.u.username, v);
      return v === 'disabled' ? { done: 'two-step-off', n: r.appPasswordsDeleted } : { done: 'two-step' };
    },
  },
  {
    slug: 'role',
    permission: 'user.setRole',
    roleBound: false,
    confirm: true,
    danger: false,
    param: { name: 'role', values: ROLES, invalid: 'ROLE_INVALID', current: (t) => t.u.role },
    title: (w) => w.t('admin.user.role.title'),
    question: (w, t, v) => {
      const name = who(t.u);
      if (v === 'admin') return w.t('admin.user.role.question.admin', { name });
      if (v === 'helpdesk') return w.t('admin.user.role.question.helpdesk', { name });
      return w.t('admin.user.role.question.user', { name });
    },
    detail: (w, t, v) => {
      const name = who(t.u);
      if (v === 'admin') return w.t('admin.user.role.detail.admin', { name });
      if (v === 'helpdesk') return w.t('admin.user.role.detail.helpdesk', { name });
      return w.t('admin.user.role.detail.user', { name });
    },
    run: async (core, a, t, v) => {
      await core.users.setUserRole(a, t.u.username, v);
      return { done: 'role' };
    },
  },
  {
    slug: 'reregister',
    permission: 'twoStep.requireReregistration',
    roleBound: true,
    confirm: true,
    danger: true,
    unavailable: (w, t) => (t.u.twoStep === 'disabled' ? w.t('admin.user.reregister.off') : null),
    title: (w) => w.t('admin.user.reregister.title'),
    question: (w, t) => w.t('admin.user.reregister.question', { name: who(t.u) }),
    detail: (w, t) =>
      w.t('admin.user.reregister.detail', { name: who(t.u), count: t.methods.methods.length }),
    yes: (w) => w.t('admin.user.reregister.yes'),
    run: async (core, a, t) => {
      const r = await core.methods.requireReregistration(a, t.u.username);
      return { done: 'reregister', n: r.methodsRemoved };
    },
  },
  {
    slug: 'forget-devices',
    permission: 'devices.revoke',
    roleBound: true,
    confirm: true,
    danger: false,
    title: (w) => w.t('admin.user.forgetDevices.title'),
    question: (w, t) =>
      w.t('admin.user.forgetDevices.question', {
        name: who(t.u),
        count: t.methods.rememberedDevices.length,
      }),
    detail: (w, t) => w.t('admin.user.forgetDevices.detail', { name: who(t.u) }),
    run: async (core, a, t) => {
      const r = await core.methods.revokeRememberedDevices(a, t.u.username);
      return { done: 'devices-forgotten', n: r.devicesRevoked };
    },
  },
  {
    slug: 'delete-app-passwords',
    permission: 'appPassword.deleteAll',
    roleBound: true,
    confirm: true,
    danger: true,
    unavailable: (w, t) =>
      t.apps.length === 0 ? w.t('admin.user.deleteApps.none', { name: who(t.u) }) : null,
    title: (w) => w.t('admin.user.deleteApps.title'),
    question: (w, t) => {
      const name = who(t.u);
      if (t.apps.length === 1) return w.t('admin.user.deleteApps.question.one', { name });
      if (t.apps.length === 2) return w.t('admin.user.deleteApps.question.two', { name });
      return w.t('admin.user.deleteApps.question.all', { name, count: t.apps.length });
    },
    detail: (w, t) => w.t('admin.user.deleteApps.detail', { name: who(t.u) }),
    yes: (w) => w.t('admin.user.deleteApps.yes'),
    run: async (core, a, t) => {
      const n = await core.appPasswords.deleteAllAppPasswords(a, t.u.username, 'admin_page');
      return { done: 'app-passwords-deleted', n };
    },
  },
  {
    slug: 'unlock',
    permission: 'user.unlock',
    roleBound: true,
    confirm: false,
    danger: false,
    title: (w) => w.t('admin.user.unlock.title'),
    question: (w, t) => w.t('admin.user.unlock.question', { name: who(t.u) }),
    detail: () => '',
    run: async (core, a, t) => {
      const n = await core.lockout.unlockUser(a, t.u.username);
      return { done: 'unlocked', n };
    },
  },
];
const ACTION = new Map(ACTIONS.map((x) => [x.slug, x]));

// ---- what the user's page says after an action (?done=…&n=…)

export type DoneCode =
  | 'disabled'
  | 'enabled'
  | 'two-step'
  | 'two-step-off'
  | 'role'
  | 'reregister'
  | 'devices-forgotten'
  | 'app-passwords-deleted'
  | 'unlocked'
  | 'unchanged'
  | 'app-gone';

const DONE: Record<DoneCode, (w: Words, name: string, count: number) => string> = {
  disabled: (w, name) => w.t('admin.user.done.disabled', { name }),
  enabled: (w, name) => w.t('admin.user.done.enabled', { name }),
  'two-step': (w, name) => w.t('admin.user.done.twoStep', { name }),
  'two-step-off': (w, name, count) => w.t('admin.user.done.twoStepOff', { name, count }),
  role: (w, name) => w.t('admin.user.done.role', { name }),
  reregister: (w, name, count) => w.t('admin.user.done.reregister', { name, count }),
  'devices-forgotten': (w, name, count) => w.t('admin.user.done.devicesForgotten', { name, count }),
  'app-passwords-deleted': (w, name, count) => w.t('admin.user.done.appPasswordsDeleted', { name, count }),
  unlocked: (w, name, count) => w.t('admin.user.done.unlocked', { name, count }),
  unchanged: (w) => w.t('admin.user.done.unchanged'),
  'app-gone': (w, name) => w.t('admin.user.done.appGone', { name }),
};

/** The success message for `?done=` on a user's page, or null for a code it does not know. */
export function flashText(
  w: Words,
  o: { done: string; n: number; name: string; app: string },
): string | null {
  // The app's name comes back in the address: shown only when it can be a client's name.
  if (o.done === 'app-removed') {
    return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(o.app)
      ? w.t('admin.user.done.appRemoved', { app: o.app, name: o.name })
      : null;
  }
  if (!Object.hasOwn(DONE, o.done)) return null;
  return DONE[o.done as DoneCode](w, o.name, Number.isFinite(o.n) ? o.n : 0);
}

// ---- the user's page

/** Everything one user's page shows, built by the handler from the core. */
export interface UserPageView {
  now: number;
  target: Target;
  /** App passwords are allowed in the organization (else the list says they are kept but refused). */
  allowAppPasswords: boolean;
  lockout: LockoutStatus[];
  signIns: SignInEventView[];
  /** Apps with access to the account, or null when this viewer may not see them. */
  apps: AppAccessView[] | null;
  canRemoveApps: boolean;
  canReadAudit: boolean;
  /** The actions this viewer may take on this user now: allowed by the policy, and possible. */
  offered: ReadonlySet<ActionSlug>;
  csrf: string;
}

/** Words for a cell that says "none". */
const none = (w: Words) => html`<span class="muted">${w.t('admin.common.none')}</span>`;

export function userPageBody(v: UserPageView, w: Words = ENGLISH): SafeHtml {
  const { target: t, now, csrf } = v;
  const { u } = t;
  const name = who(u);
  const base = userPath(u.username);
  const t2 = (iso: string | null) => timeAgo(iso === null ? null : Date.parse(iso), now, w);
  const action = (slug: ActionSlug, text: string, kind: 'primary' | 'secondary' | 'danger' = 'secondary') => {
    if (!v.offered.has(slug)) return '';
    return ACTION.get(slug)!.confirm
      ? linkButton(`${base}/${slug}`, text, kind)
      : postForm(`${base}/${slug}`, csrf, button(text, { kind }), { class: 'inline' });
  };
  const choice = (
    slug: ActionSlug,
    field: string,
    text: string,
    options: { value: string; label: string }[],
    current: string,
  ) =>
    v.offered.has(slug)
      ? html`<form method="get" action="${base}/${slug}" class="inline-choice">
${select({ name: field, label: text, id: `f-${slug}`, options: options.map((o) => ({ ...o, selected: o.value === current })), words: w })}
<div class="actions">${button(w.t('admin.user.change'), { kind: 'secondary' })}</div>
</form>`
      : '';
  const actionRow = (xs: (SafeHtml | string)[]) => {
    const shown = xs.filter((x) => x !== '');
    return shown.length > 0
      ? html`<div class="actions">${shown.map((x, i) => html`${i > 0 ? ' ' : ''}${x}`)}</div>`
      : '';
  };

  const password = !u.passwordSet
    ? w.t('admin.user.password.notSet')
    : u.passwordMustChange
      ? w.t('admin.user.password.oneTime')
      : w.t('admin.user.password.set');
  const codes = t.methods.recoveryCodes;
  const locked = v.lockout.filter((c) => c.lockedUntil !== null);
  const lockedUntil = locked.length > 0 ? Math.max(...locked.map((c) => Date.parse(c.lockedUntil!))) : null;

  return html`${pageHeader(name, html`${u.username}${u.email ? html` · <a href="mailto:${u.email}">${u.email}</a>` : ''}`)}
${t.self ? notice('info', w.markup('admin.user.self', { link: html`<a href="/account">${w.t('nav.security')}</a>` })) : ''}
${section(
  'h-account',
  w.t('admin.user.account.title'),
  html`${definitionList([
    [
      w.t('admin.common.head.status'),
      u.status === 'active'
        ? badge(label(w, STATUS_KEY, u.status), 'ok')
        : badge(label(w, STATUS_KEY, u.status), 'bad'),
    ],
    [w.t('admin.common.head.role'), label(w, ROLE_KEY, u.role)],
    [w.t('admin.common.head.displayName'), u.displayName ?? none(w)],
    [w.t('admin.common.head.email'), u.email ?? none(w)],
    [w.t('admin.user.account.password'), password],
    [w.t('admin.user.account.created'), t2(u.createdAt)],
  ])}
${actionRow([
  u.status === 'active'
    ? action('disable', w.t('admin.user.disable.title'), 'danger')
    : action('enable', w.t('admin.user.enable.title'), 'primary'),
  action('reset-password', w.t('admin.user.resetPassword.title')),
])}
${choice(
  'role',
  'role',
  w.t('admin.common.head.role'),
  ROLES.map((r) => ({ value: r, label: label(w, ROLE_KEY, r) })),
  u.role,
)}`,
)}
${section(
  'h-2sv',
  w.t('admin.common.twoStep'),
  html`${definitionList([
    [
      w.t('admin.user.twoStep.state'),
      html`${label(w, STATE_KEY, u.twoStepEffective)}${u.twoStepEffective !== u.twoStep ? html` <span class="muted small">${w.t('admin.user.twoStep.requiredByOrg', { state: label(w, STATE_KEY, u.twoStep).toLocaleLowerCase(w.lang) })}</span>` : ''}`,
    ],
    [
      w.t('admin.user.twoStep.recoveryCodes'),
      codes.total === 0
        ? w.t('admin.user.twoStep.recoveryNone')
        : w.t('admin.user.twoStep.recoveryUnused', { unused: codes.unused, total: codes.total }),
    ],
    [w.t('admin.user.twoStep.rememberedDevices'), w.number(t.methods.rememberedDevices.length)],
  ])}
${table({
  caption: w.t('admin.user.methods.caption'),
  head: [
    w.t('admin.user.methods.name'),
    w.t('admin.user.methods.type'),
    w.t('admin.user.methods.added'),
    w.t('admin.user.methods.lastUsed'),
  ],
  rows: t.methods.methods.map((m) => [
    html`${m.name}${m.isDefault ? html` ${badge(w.t('admin.user.methods.default'))}` : ''}`,
    label(w, METHOD_KIND_KEY, m.kind),
    timeAgo(m.createdAt, now, w),
    timeAgo(m.lastUsedAt, now, w),
  ]),
  empty: w.t('admin.user.methods.empty'),
})}
${choice(
  'two-step',
  'state',
  w.t('admin.common.twoStep'),
  TWO_STEP_STATES.map((x) => ({ value: x, label: label(w, STATE_OPTION_KEY, x) })),
  u.twoStep,
)}
${actionRow([
  action('reregister', w.t('admin.user.reregister.button'), 'danger'),
  t.methods.rememberedDevices.length > 0
    ? action('forget-devices', w.t('admin.user.forgetDevices.title'))
    : '',
])}`,
)}
${section(
  'h-app-passwords',
  w.t('admin.user.appPasswords.title'),
  html`<p class="muted small">${sentences(w.t('admin.user.appPasswords.note'), !v.allowAppPasswords && w.t('admin.user.appPasswords.turnedOff'))}</p>
${table({
  caption: w.t('admin.user.appPasswords.caption', { username: u.username }),
  head: [
    w.t('admin.user.appPasswords.name'),
    w.t('admin.user.appPasswords.created'),
    w.t('admin.user.appPasswords.lastUsed'),
    w.t('admin.user.appPasswords.lastUsedFrom'),
    w.t('admin.user.appPasswords.expires'),
    w.t('admin.user.appPasswords.onlyFor'),
  ],
  rows: t.apps.map((x) => [
    x.label,
    t2(x.createdAt),
    t2(x.lastUsedAt),
    x.lastUsedAt
      ? `${x.lastUsedDoor ? doorLabel(x.lastUsedDoor, w) : ''}${x.lastUsedIp ? ` · ${x.lastUsedIp}` : ''}`
      : null,
    x.expiresAt ? t2(x.expiresAt) : w.t('time.never'),
    x.scopes ? x.scopes.map((d) => doorLabel(d, w)).join(', ') : w.t('admin.user.appPasswords.everyApp'),
  ]),
  empty: w.t('admin.user.deleteApps.none', { name }),
})}
${t.apps.length > 0 ? html`<div class="actions">${action('delete-app-passwords', w.t('admin.user.deleteApps.title'), 'danger')}</div>` : ''}`,
)}
${
  v.apps
    ? section(
        'h-apps',
        w.t('admin.user.apps.title'),
        html`<p class="muted small">${sentences(w.t('admin.user.apps.note', { name }), v.apps.length > 0 && lastUsedNote('staff', w))}</p>
${appAccessTable({
  apps: v.apps,
  now,
  perspective: 'staff',
  caption: w.t('admin.user.apps.caption', { username: u.username }),
  empty: w.t('admin.user.apps.empty', { name }),
  removeHref: v.canRemoveApps ? (x) => appRemovePath(u.username, x.clientId) : null,
  words: w,
})}`,
      )
    : ''
}
${section(
  'h-lockout',
  w.t('admin.user.lockout.title'),
  html`${
    lockedUntil !== null
      ? notice('warning', w.t('admin.user.lockout.locked', { time: w.dateTime(lockedUntil) }))
      : html`<p>${v.lockout.length === 0 ? w.t('admin.user.lockout.noFailures') : w.t('admin.user.lockout.notLocked')}</p>`
  }
${
  v.lockout.length === 0
    ? ''
    : table({
        caption: w.t('admin.user.lockout.caption'),
        head: [
          w.t('admin.user.lockout.counter'),
          w.t('admin.user.lockout.failures'),
          w.t('admin.user.lockout.lockedUntil'),
          w.t('admin.user.lockout.inARow'),
        ],
        rows: v.lockout.map((c) => [
          label(w, COUNTER_KEY, c.counter),
          w.number(c.failures),
          c.lockedUntil ? t2(c.lockedUntil) : w.t('admin.user.lockout.notLockedCell'),
          w.number(c.lockLevel),
        ]),
        empty: w.t('admin.user.lockout.empty'),
      })
}
${v.lockout.length > 0 ? html`<div class="actions">${action('unlock', w.t('admin.user.unlock.button'))}</div>` : ''}`,
)}
${section(
  'h-sign-ins',
  w.t('admin.user.signIns.title'),
  html`${table({
    caption: w.t('admin.user.signIns.caption', { username: u.username }),
    head: [
      w.t('admin.user.signIns.when'),
      w.t('admin.user.signIns.what'),
      w.t('admin.user.signIns.from'),
      w.t('admin.user.signIns.result'),
    ],
    rows: v.signIns.map((e) => [
      html`${timeAgo(Date.parse(e.lastAt), now, w)}${e.count > 1 ? html`<br><span class="muted small">${repeats(e, now, w)}</span>` : ''}`,
      describeSignIn(e, 'staff', w),
      e.ip,
      e.result === 'accepted'
        ? badge(w.t('admin.user.signIns.success'), 'ok')
        : badge(e.reason ? label(w, REASON_KEY, e.reason) : w.t('admin.user.signIns.refused'), 'bad'),
    ]),
    empty: w.t('admin.user.signIns.empty'),
  })}
<p>${linkButton(`/admin/sign-ins?user=${encodeURIComponent(u.username)}`, w.t('admin.user.signIns.all', { username: u.username }), 'link')}${v.canReadAudit ? html` ${linkButton(`/admin/audit?target=${encodeURIComponent(u.username)}`, w.t('admin.user.signIns.audit', { username: u.username }), 'link')}` : ''}</p>`,
)}`;
}

// ---- the pages around an action

/** The Yes/No page of an action: its question, what it does, and its choice carried along. */
export interface ConfirmView {
  action: UserAction;
  target: Target;
  /** The choice that comes with the action ('' when it has none). */
  value: string;
  settings: ActionSettings;
  csrf: string;
}

export function confirmBody(v: ConfirmView, w: Words = ENGLISH): SafeHtml {
  const { action: x, target: t, value } = v;
  const back = userPath(t.u.username);
  return html`${pageHeader(x.question(w, t, value), x.detail(w, t, value, v.settings))}
${postForm(
  `${back}/${x.slug}`,
  v.csrf,
  html`${x.param ? html`<input type="hidden" name="${x.param.name}" value="${value}">` : ''}<div class="actions">${button(x.yes ? x.yes(w) : w.t('admin.common.yes'), { kind: x.danger ? 'danger' : 'primary' })} ${linkButton(back, w.t('admin.common.no'))}</div>`,
)}`;
}

/** Why an action cannot be taken now (409): the reason, that nothing changed, and the way back. */
export function unavailableBody(
  v: { title: string; why: string; back: string },
  w: Words = ENGLISH,
): SafeHtml {
  return html`${pageHeader(v.title, sentences(v.why, w.t('admin.common.nothingChanged')))}
<div class="actions">${linkButton(v.back, w.t('admin.common.back'), 'primary')}</div>`;
}

/** The one-time password after a reset, shown this once. */
export function oneTimePasswordBody(
  v: { user: Target['u']; oneTimePassword: string; appPasswordsDeleted: number },
  w: Words = ENGLISH,
): SafeHtml {
  const name = who(v.user);
  const { username } = v.user;
  return html`${pageHeader(w.t('admin.user.resetPassword.done.heading', { name }), w.t('admin.user.resetPassword.done.lead', { name }))}
${secretBox({ id: 'one-time-password', label: w.t('admin.common.oneTimePasswordFor', { username }), secret: v.oneTimePassword, words: w })}
${notice('warning', w.t('admin.user.resetPassword.done.once'))}
${v.appPasswordsDeleted > 0 ? notice('info', w.t('admin.user.resetPassword.done.appsDeleted', { count: v.appPasswordsDeleted, name })) : ''}
<div class="actions">${linkButton(userPath(username), w.t('admin.common.close'), 'primary')}</div>`;
}

/** The Yes/No page for removing one app's access to a user's account. */
export function removeAppBody(
  v: { target: Target; app: AppAccessView; csrf: string },
  w: Words = ENGLISH,
): SafeHtml {
  const { target: t, app: x } = v;
  return html`${pageHeader(w.t('admin.user.apps.remove.question', { app: x.name, name: who(t.u) }), removeDetail(x, 'staff', w))}
${postForm(appRemovePath(t.u.username, x.clientId), v.csrf, html`<div class="actions">${button(w.t('admin.user.apps.remove.yes'), { kind: 'danger' })} ${linkButton(userPath(t.u.username), w.t('admin.common.no'))}</div>`)}`;
}

// ---- routes

export function registerUserPage(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, allowed, load, requirePermission, requireSudo } = ctx;

  function may(a: Actor, t: Target, slug: ActionSlug): boolean {
    const x = ACTION.get(slug)!;
    return allowed(a, x.permission, t, x.roleBound);
  }

  admin.get<{ Params: { name: string } }>('/users/:name', async (req, reply) => {
    const { s, a } = pageCtx(req);
    const w = req.words;
    const t = await load(a, req.params.name, s);
    const { u } = t;
    const now = core.now();
    const settings = await core.settings.current();
    const canListApps = allowed(a, 'appAccess.list', t);
    const [lockout, signIns, apps]: [LockoutStatus[], SignInEventView[], AppAccessView[]] = await Promise.all(
      [
        core.lockout.lockoutStatus(a, u.username),
        core.signInLog.listSignIns(a, { username: u.username, limit: 20 }),
        canListApps ? core.oidcAccess.listAppAccess(a, u.id) : Promise.resolve([]),
      ],
    );
    const offered = new Set(
      ACTIONS.filter((x) => may(a, t, x.slug) && !x.unavailable?.(w, t)).map((x) => x.slug),
    );
    const text = flashText(w, {
      done: q(req, 'done', 32),
      n: Number.parseInt(q(req, 'n', 8) || '0', 10),
      name: who(u),
      app: q(req, 'app', 64),
    });
    const body = userPageBody(
      {
        now,
        target: t,
        allowAppPasswords: settings.allowAppPasswords,
        lockout,
        signIns,
        apps: canListApps ? apps : null,
        canRemoveApps: allowed(a, 'appAccess.revoke', t, true),
        canReadAudit: allowed(a, 'audit.read'),
        offered,
        csrf: web.csrf(req, reply),
      },
      w,
    );
    return web.render(req, reply, s, {
      title: who(u),
      nav: 'admin-users',
      body,
      flash: text === null ? null : { kind: 'success', text },
    });
  });

  // The account an action is about, found before the guards that depend on it (the permission for
  // that account, then the checks of the action's choice, then sudo), as the handlers did it before.
  const target = loader('user', async (req: FastifyRequest) => {
    const { s, a } = pageCtx(req);
    return load(a, (req.params as { name: string }).name, s);
  });
  const permissionOn = (action: Action, roleBound: boolean) =>
    requirePermission(action, (req) => {
      const t = target.of(req);
      return { id: t.u.id, role: roleBound ? t.u.role : null };
    });

  for (const x of ACTIONS) {
    const paramOf = (raw: string): string => {
      if (!x.param) return '';
      if (!x.param.values.includes(raw)) throw new LatchkeyError(x.param.invalid);
      return raw;
    };
    const confirmUrl = (name: string, v: string) =>
      `${userPath(name)}/${x.slug}${x.param ? `?${x.param.name}=${encodeURIComponent(v)}` : ''}`;
    const choiceOf = (req: FastifyRequest) =>
      paramOf(
        x.param
          ? req.method === 'GET'
            ? q(req, x.param.name, 16)
            : web.str(req.body, x.param.name, 16)
          : '',
      );

    /** The action's choice is checked (400), and an action that cannot be taken now says why (409). */
    const checked = step('check:choice', async (req: FastifyRequest, reply: FastifyReply) => {
      const { s } = pageCtx(req);
      const t = target.of(req);
      const v = choiceOf(req);
      if (req.method === 'GET' && x.param && v === x.param.current(t))
        return reply.redirect(`${userPath(t.u.username)}?done=unchanged`, 303);
      const why = x.unavailable?.(req.words, t);
      if (why) {
        return web.render(req, reply, s, {
          title: x.title(req.words),
          nav: 'admin-users',
          status: 409,
          body: unavailableBody({ title: x.title(req.words), why, back: userPath(t.u.username) }, req.words),
        });
      }
    });
    // In the order the handlers had them: the account, may this person act on it, is the choice
    // right and the action possible now, and only then the sudo check.
    const pre = guarded(
      target.load,
      permissionOn(x.permission, x.roleBound),
      checked,
      requireSudo((req) =>
        req.method === 'GET' || x.confirm
          ? confirmUrl(target.of(req).u.username, choiceOf(req))
          : userPath(target.of(req).u.username),
      ),
    );

    if (x.confirm) {
      admin.get<{ Params: { name: string } }>(`/users/:name/${x.slug}`, pre, async (req, reply) => {
        const { s } = pageCtx(req);
        const t = target.of(req);
        const settings = await core.settings.current();
        return web.render(req, reply, s, {
          title: x.title(req.words),
          nav: 'admin-users',
          body: confirmBody(
            { action: x, target: t, value: choiceOf(req), settings, csrf: web.csrf(req, reply) },
            req.words,
          ),
        });
      });
    }

    admin.post<{ Params: { name: string } }>(`/users/:name/${x.slug}`, pre, async (req, reply) => {
      const { s, a } = pageCtx(req);
      const t = target.of(req);
      const r = await x.run(core, a, t, choiceOf(req));
      if ('done' in r) {
        return reply.redirect(
          `${userPath(t.u.username)}?done=${r.done}${r.n !== undefined ? `&n=${r.n}` : ''}`,
          303,
        );
      }
      return web.render(req, reply, s, {
        title: req.words.t('admin.user.resetPassword.done.title'),
        nav: 'admin-users',
        body: oneTimePasswordBody({ user: t.u, ...r }, req.words),
      });
    });
  }

  // Removing one app's access to a user's account: a person's own action, which the helpdesk may
  // take for plain users (roleBound) and administrators for anyone.
  async function appOf(a: Actor, t: Target, clientId: string): Promise<AppAccessView | undefined> {
    return (await core.oidcAccess.listAppAccess(a, t.u.id)).find((x) => x.clientId === clientId);
  }
  type AppParams = { Params: { name: string; clientId: string } };
  const clientIdOf = (req: FastifyRequest) => (req.params as AppParams['Params']).clientId;

  // An app without access any more goes back to the user's page before the sudo check (GET).
  const app = loader('app-access', async (req: FastifyRequest, reply: FastifyReply) => {
    const { a } = pageCtx(req);
    const t = target.of(req);
    const x = await appOf(a, t, clientIdOf(req));
    if (!x) {
      reply.redirect(`${userPath(t.u.username)}?done=app-gone`, 303);
      return undefined;
    }
    return x;
  });
  const removeGuards = [
    target.load,
    permissionOn('appAccess.revoke', true),
    requireSudo((req) => appRemovePath(target.of(req).u.username, clientIdOf(req))),
  ];

  admin.get<AppParams>(
    '/users/:name/apps/:clientId/remove',
    { preHandler: [removeGuards[0]!, removeGuards[1]!, app.load, removeGuards[2]!] },
    async (req, reply) => {
      const { s } = pageCtx(req);
      return web.render(req, reply, s, {
        title: req.words.t('admin.user.apps.remove.title'),
        nav: 'admin-users',
        body: removeAppBody(
          { target: target.of(req), app: app.of(req), csrf: web.csrf(req, reply) },
          req.words,
        ),
      });
    },
  );

  admin.post<AppParams>(
    '/users/:name/apps/:clientId/remove',
    { preHandler: removeGuards },
    async (req, reply) => {
      const { a } = pageCtx(req);
      const t = target.of(req);
      const back = userPath(t.u.username);
      const x = await appOf(a, t, req.params.clientId);
      try {
        await core.oidcAccess.revokeAppAccess(a, t.u.id, req.params.clientId);
      } catch (e) {
        if (isLatchkeyError(e) && e.code === 'APP_ACCESS_NOT_FOUND')
          return reply.redirect(`${back}?done=app-gone`, 303);
        throw e;
      }
      return reply.redirect(`${back}?done=app-removed&app=${encodeURIComponent(x?.name ?? '')}`, 303);
    },
  );
}
