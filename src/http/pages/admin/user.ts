// One user's page (account, two-step, app passwords, apps with access, lockout, recent sign-ins) and
// the support actions on it, each with its permission, its plain-words confirmation and sudo mode.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionView } from '../../../core/browser.js';
import { type ErrorCode, isLatchkeyError, LatchkeyError } from '../../../core/errors.js';
import type { LockoutStatus } from '../../../core/lockout.js';
import type { AppAccessView } from '../../../core/oidc-access.js';
import type { Action, Actor } from '../../../core/policy.js';
import type { Settings } from '../../../core/settings.js';
import type { LoggedReason, SignInEventView } from '../../../core/sign-in-log.js';
import { ROLES, TWO_STEP_STATES } from '../../../core/validate.js';
import { appAccessTable, LAST_USED_NOTE, removeDetail } from '../apps.js';
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
  COUNTER_LABEL,
  METHOD_KIND_LABEL,
  plural,
  REASON_LABEL,
  ROLE_LABEL,
  STATE_LABEL,
  STATE_OPTION,
  type Target,
  userPath,
  who,
} from './shared.js';

interface UserAction {
  slug: string;
  permission: Action;
  /** The helpdesk may do it to plain users only: the target's role is part of the check. */
  roleBound: boolean;
  /** Asked first with a Yes/No page; without it the user page posts straight away. */
  confirm: boolean;
  danger: boolean;
  /** A choice that comes with the action: the new two-step state, the new role. */
  param?: { name: string; values: readonly string[]; invalid: ErrorCode; current(t: Target): string };
  /** Why it cannot be done now, or null. */
  unavailable?(t: Target): string | null;
  title(t: Target, value: string): string;
  question(t: Target, value: string, settings: Settings): string;
  detail(t: Target, value: string, settings: Settings): string;
  yes?: string;
  run(
    actor: Actor,
    t: Target,
    value: string,
  ): Promise<{ done: string; n?: number } | { title: string; body: SafeHtml }>;
}

const SUPPORT_NOTE = 'Nothing else about the account changes.';

export function registerUserPage(admin: FastifyInstance, ctx: AdminContext): void {
  const { web, core, q, allowed, load, requirePermission, requireSudo } = ctx;
  // ---- one user

  const DONE: Record<string, (name: string, n: number) => string> = {
    disabled: (x) => `${x}'s account is disabled. They are signed out and every app is refused.`,
    enabled: (x) => `${x}'s account is enabled again.`,
    'two-step': (x) => `Two-step verification for ${x} was changed.`,
    'two-step-off': (x, n) =>
      `Two-step verification for ${x} is off.${n > 0 ? ` ${plural(n, 'app password')} deleted.` : ''}`,
    role: (x) => `${x}'s role was changed.`,
    reregister: (x, n) =>
      `${x} will set up two-step verification again at the next web sign-in. ${plural(n, 'method')} removed.`,
    'devices-forgotten': (x, n) =>
      `${plural(n, 'remembered device')} of ${x} will ask for the second step again.`,
    'app-passwords-deleted': (x, n) =>
      `${plural(n, 'app password')} of ${x} deleted. They stopped working at once; ${x} can create new ones.`,
    unlocked: (x, n) =>
      n > 0
        ? `${x}'s account is unlocked: ${plural(n, 'failure counter')} cleared.`
        : `${x} was not locked out.`,
    unchanged: () => 'Nothing changed: that was already the setting.',
    'app-gone': (x) => `That app had no access to ${x}'s account any more. Nothing was changed.`,
  };

  const ACTIONS: UserAction[] = [
    {
      slug: 'disable',
      permission: 'user.disable',
      roleBound: false,
      confirm: true,
      danger: true,
      unavailable: (t) =>
        t.u.status === 'disabled'
          ? 'The account is already disabled.'
          : t.self
            ? 'You cannot disable your own account here.'
            : null,
      title: () => 'Disable account',
      question: (t) => `Disable ${who(t.u)}'s account?`,
      detail: (t) =>
        `${who(t.u)} is signed out of every browser, and every sign-in — on the web and from every app — is refused until an administrator enables the account again. Nothing is deleted.`,
      yes: 'Yes, disable',
      run: async (a, t) => {
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
      title: () => 'Enable account',
      question: (t) => `Enable ${who(t.u)}'s account?`,
      detail: () => '',
      run: async (a, t) => {
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
      unavailable: (t) => (t.self ? 'To change your own password, use Password in your account.' : null),
      title: () => 'Reset password',
      question: (t) => `Reset ${who(t.u)}'s password?`,
      detail: (t, _v, settings) =>
        `Their current password stops working at once and they are signed out of every browser. You get a one-time password to give them; they choose a new password at their next web sign-in.${
          settings.revokeAppPasswordsOnPasswordChange && t.apps.length > 0
            ? ` Their ${plural(t.apps.length, 'app password')} will be deleted too, as your organization requires: their apps will need new ones.`
            : ''
        }`,
      yes: 'Yes, reset it',
      run: async (a, t) => {
        const r = await core.users.setPassword(a, t.u.username, null);
        return {
          title: 'Password reset',
          body: html`${pageHeader(`One-time password for ${who(t.u)}`, `Give it to ${who(t.u)} in person or by phone — not by email. At their next web sign-in they choose a new password, and this one stops working.`)}
${secretBox({ id: 'one-time-password', label: `One-time password for ${t.u.username}`, secret: r.generated ?? '' })}
${notice('warning', 'This is the only time it is shown. If it gets lost, reset the password again.')}
${r.appPasswordsDeleted > 0 ? notice('info', `${plural(r.appPasswordsDeleted, 'app password')} were deleted with the old password. ${who(t.u)} creates new ones for their devices after signing in.`) : ''}
<div class="actions">${linkButton(userPath(t.u.username), 'Close', 'primary')}</div>`,
        };
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
      title: () => 'Change two-step verification',
      question: (t, v) =>
        v === 'disabled'
          ? `Turn two-step verification off for ${who(t.u)}?`
          : v === 'enabled'
            ? `Turn two-step verification on for ${who(t.u)}?`
            : `Require two-step verification for ${who(t.u)}?`,
      detail: (t, v, settings) => {
        if (v === 'disabled') {
          // The rule of dropAppPasswordsIfTwoStepOff (core/two-step.ts), in words.
          const kept =
            t.apps.length > 0 ? ` ${who(t.u)}'s ${plural(t.apps.length, 'app password')} stay.` : '';
          if (settings.requireTwoStepForEveryone) {
            return `Your organization requires two-step verification for everyone, so it stays on in practice.${kept}`;
          }
          if (settings.requireAppPasswordsForNonBrowser) {
            return `${who(t.u)} signs in on the web with the password alone. Apps still need app passwords, because your organization requires them for every app.${kept}`;
          }
          return `${who(t.u)} signs in on the web with the password alone, and apps use the account password again.${
            t.apps.length > 0
              ? ` ${who(t.u)}'s ${plural(t.apps.length, 'app password')} will be deleted: apps using them stop signing in until they are given the account password.`
              : ''
          }`;
        }
        const setUp =
          t.methods.methods.length === 0
            ? ` ${who(t.u)} has no verification method yet and sets one up at the next web sign-in.`
            : '';
        return v === 'enabled'
          ? `At the next web sign-in ${who(t.u)} is asked for a second step.${setUp} Until then, apps keep working with the account password.`
          : `Apps that send the account password — mail, calendars, anything that cannot ask for a second step — are refused; they need app passwords.${setUp}`;
      },
      run: async (a, t, v) => {
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
      title: () => 'Change role',
      question: (t, v) =>
        `Make ${who(t.u)} ${v === 'admin' ? 'an administrator' : v === 'helpdesk' ? 'helpdesk staff' : 'an ordinary user'}?`,
      detail: (t, v) =>
        v === 'admin'
          ? `${who(t.u)} will be able to change everything: settings, roles, API tokens and every account.`
          : v === 'helpdesk'
            ? `${who(t.u)} will be able to look up users and sign-ins, and help ordinary users: reset their password, unlock them, ask them to set up two-step verification again, revoke remembered devices and delete their app passwords.`
            : `${who(t.u)} will manage only their own account and no longer see these administration pages.`,
      run: async (a, t, v) => {
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
      unavailable: (t) =>
        t.u.twoStep === 'disabled'
          ? 'Two-step verification is off for this account: there is nothing to set up again.'
          : null,
      title: () => 'Set up two-step verification again',
      question: (t) => `Ask ${who(t.u)} to set up two-step verification again?`,
      detail: (t) =>
        `${who(t.u)}'s ${plural(t.methods.methods.length, 'verification method')}, recovery codes and remembered devices are removed, and they are signed out of every browser. At the next web sign-in they set up a new method — useful when a phone or security key was lost. App passwords keep working.`,
      yes: 'Yes, remove the methods',
      run: async (a, t) => {
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
      title: () => 'Revoke remembered devices',
      question: (t) =>
        `Revoke ${who(t.u)}'s ${plural(t.methods.rememberedDevices.length, 'remembered device')}?`,
      detail: (t) =>
        `Browsers where ${who(t.u)} chose "remember this device" will ask for the second step again at the next sign-in. ${SUPPORT_NOTE}`,
      run: async (a, t) => {
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
      unavailable: (t) => (t.apps.length === 0 ? `${who(t.u)} has no app passwords.` : null),
      title: () => 'Delete all app passwords',
      question: (t) =>
        t.apps.length === 1
          ? `Delete the app password of ${who(t.u)}?`
          : t.apps.length === 2
            ? `Delete both app passwords of ${who(t.u)}?`
            : `Delete all ${t.apps.length} app passwords of ${who(t.u)}?`,
      detail: (t) =>
        `${who(t.u)}'s mail apps and other apps will stop signing in at once, until ${who(t.u)} creates new app passwords in their account. ${SUPPORT_NOTE}`,
      yes: 'Yes, delete them',
      run: async (a, t) => {
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
      title: () => 'Unlock',
      question: (t) => `Unlock ${who(t.u)}?`,
      detail: () => '',
      run: async (a, t) => {
        const n = await core.lockout.unlockUser(a, t.u.username);
        return { done: 'unlocked', n };
      },
    },
  ];
  const ACTION = new Map(ACTIONS.map((x) => [x.slug, x]));

  function may(a: Actor, t: Target, slug: string): boolean {
    const x = ACTION.get(slug)!;
    return allowed(a, x.permission, t, x.roleBound);
  }

  function unavailablePage(
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    x: UserAction,
    t: Target,
    v: string,
    why: string,
  ) {
    return web.render(req, reply, s, {
      title: x.title(t, v),
      nav: 'admin-users',
      status: 409,
      body: html`${pageHeader(x.title(t, v), `${why} Nothing was changed.`)}
<div class="actions">${linkButton(userPath(t.u.username), 'Back', 'primary')}</div>`,
    });
  }

  admin.get<{ Params: { name: string } }>('/users/:name', async (req, reply) => {
    const { s, a } = pageCtx(req);
    const t = await load(a, req.params.name, s);
    const { u } = t;
    const csrf = web.csrf(req, reply);
    const now = core.ctx.now();
    const settings = await core.ctx.settings.get();
    const [lockout, signIns, apps]: [LockoutStatus[], SignInEventView[], AppAccessView[]] = await Promise.all(
      [
        core.lockout.lockoutStatus(a, u.username),
        core.signInLog.listSignIns(a, { username: u.username, limit: 20 }),
        allowed(a, 'appAccess.list', t) ? core.oidcAccess.listAppAccess(a, u.id) : Promise.resolve([]),
      ],
    );
    const base = userPath(u.username);
    const t2 = (iso: string | null) => timeAgo(iso === null ? null : Date.parse(iso), now);
    const action = (slug: string, label: string, kind: 'primary' | 'secondary' | 'danger' = 'secondary') => {
      const x = ACTION.get(slug)!;
      if (!may(a, t, slug) || x.unavailable?.(t)) return '';
      return x.confirm
        ? linkButton(`${base}/${slug}`, label, kind)
        : postForm(`${base}/${slug}`, csrf, button(label, { kind }), { class: 'inline' });
    };
    const choice = (
      slug: string,
      name: string,
      label: string,
      options: { value: string; label: string }[],
      current: string,
    ) =>
      may(a, t, slug)
        ? html`<form method="get" action="${base}/${slug}" class="inline-choice">
${select({ name, label, id: `f-${slug}`, options: options.map((o) => ({ ...o, selected: o.value === current })) })}
<div class="actions">${button('Change…', { kind: 'secondary' })}</div>
</form>`
        : '';

    const done = q(req, 'done', 32);
    const n = Number.parseInt(q(req, 'n', 8) || '0', 10);
    // The app's name comes back in the address: shown only when it can be a client's name.
    const removedApp = q(req, 'app', 64);
    const flash =
      done === 'app-removed' && /^[a-z0-9][a-z0-9._-]{0,63}$/.test(removedApp)
        ? {
            kind: 'success' as const,
            text: `${removedApp} no longer has access to ${who(u)}'s account. Its tokens stopped working at once.`,
          }
        : DONE[done]
          ? { kind: 'success' as const, text: DONE[done]!(who(u), Number.isFinite(n) ? n : 0) }
          : null;

    const locked = lockout.filter((c) => c.lockedUntil !== null);
    const password = !u.passwordSet
      ? 'Not set: they cannot sign in on the web until it is reset.'
      : u.passwordMustChange
        ? 'One-time password: they choose their own at the next web sign-in.'
        : 'Set';

    const actionRow = (xs: (SafeHtml | string)[]) => {
      const shown = xs.filter((x) => x !== '');
      return shown.length > 0
        ? html`<div class="actions">${shown.map((x, i) => html`${i > 0 ? ' ' : ''}${x}`)}</div>`
        : '';
    };
    const accountActions = [
      u.status === 'active'
        ? action('disable', 'Disable account', 'danger')
        : action('enable', 'Enable account', 'primary'),
      action('reset-password', 'Reset password'),
    ].filter((x) => x !== '');

    const body = html`${pageHeader(who(u), html`${u.username}${u.email ? html` · <a href="mailto:${u.email}">${u.email}</a>` : ''}`)}
${t.self ? notice('info', html`This is your own account. Change your password and methods in <a href="/account">Security info</a>.`) : ''}
${section(
  'h-account',
  'Account',
  html`${definitionList([
    ['Status', u.status === 'active' ? badge('Active', 'ok') : badge('Disabled', 'bad')],
    ['Role', ROLE_LABEL[u.role] ?? u.role],
    ['Display name', u.displayName ?? html`<span class="muted">none</span>`],
    ['Email', u.email ?? html`<span class="muted">none</span>`],
    ['Password', password],
    ['Created', t2(u.createdAt)],
  ])}
${actionRow(accountActions)}
${choice(
  'role',
  'role',
  'Role',
  ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] ?? r })),
  u.role,
)}`,
)}
${section(
  'h-2sv',
  'Two-step verification',
  html`${definitionList([
    [
      'State',
      html`${STATE_LABEL[u.twoStepEffective] ?? u.twoStepEffective}${u.twoStepEffective !== u.twoStep ? html` <span class="muted small">(required for everyone by the organization; the account's own setting is ${STATE_LABEL[u.twoStep]?.toLowerCase() ?? u.twoStep})</span>` : ''}`,
    ],
    [
      'Recovery codes',
      t.methods.recoveryCodes.total === 0
        ? 'None'
        : `${t.methods.recoveryCodes.unused} of ${t.methods.recoveryCodes.total} unused`,
    ],
    ['Remembered devices', String(t.methods.rememberedDevices.length)],
  ])}
${table({
  caption: 'Verification methods',
  head: ['Name', 'Type', 'Added', 'Last used'],
  rows: t.methods.methods.map((m) => [
    html`${m.name}${m.isDefault ? html` ${badge('Default')}` : ''}`,
    METHOD_KIND_LABEL[m.kind] ?? m.kind,
    timeAgo(m.createdAt, now),
    timeAgo(m.lastUsedAt, now),
  ]),
  empty: 'No verification method registered.',
})}
${choice(
  'two-step',
  'state',
  'Two-step verification',
  TWO_STEP_STATES.map((x) => ({ value: x, label: STATE_OPTION[x] ?? x })),
  u.twoStep,
)}
${actionRow([action('reregister', 'Require set-up again', 'danger'), t.methods.rememberedDevices.length > 0 ? action('forget-devices', 'Revoke remembered devices') : ''])}`,
)}
${section(
  'h-app-passwords',
  'App passwords',
  html`<p class="muted small">Names and dates only: nobody can see an app password again after it was created.${settings.allowAppPasswords ? '' : ' App passwords are turned off for the organization: these are kept but refused.'}</p>
${table({
  caption: `App passwords of ${u.username}`,
  head: ['Name', 'Created', 'Last used', 'Last used from', 'Expires', 'Only for'],
  rows: t.apps.map((x) => [
    x.label,
    t2(x.createdAt),
    t2(x.lastUsedAt),
    x.lastUsedAt
      ? `${x.lastUsedDoor ? doorLabel(x.lastUsedDoor) : ''}${x.lastUsedIp ? ` · ${x.lastUsedIp}` : ''}`
      : null,
    x.expiresAt ? t2(x.expiresAt) : 'Never',
    x.scopes ? x.scopes.map((d) => doorLabel(d)).join(', ') : 'Every kind of app',
  ]),
  empty: `${who(u)} has no app passwords.`,
})}
${t.apps.length > 0 ? html`<div class="actions">${action('delete-app-passwords', 'Delete all app passwords', 'danger')}</div>` : ''}`,
)}
${
  allowed(a, 'appAccess.list', t)
    ? section(
        'h-apps',
        'Apps with access',
        html`<p class="muted small">Apps that ${who(u)} signed in to with this account (OpenID Connect), and what each may see. ${apps.length > 0 ? LAST_USED_NOTE.staff : ''}</p>
${appAccessTable({
  apps,
  now,
  perspective: 'staff',
  caption: `Apps with access to the account of ${u.username}`,
  empty: `No app has access to ${who(u)}'s account.`,
  removeHref: allowed(a, 'appAccess.revoke', t, true) ? (x) => appRemovePath(u.username, x.clientId) : null,
})}`,
      )
    : ''
}
${section(
  'h-lockout',
  'Lockout',
  html`${
    locked.length > 0
      ? notice(
          'warning',
          `Locked out until ${locked
            .map((c) => new Date(Date.parse(c.lockedUntil!)).toISOString().slice(11, 19))
            .sort()
            .pop()} UTC for some sources (see below). It unlocks by itself.`,
        )
      : html`<p>${lockout.length === 0 ? 'No recent failed attempts.' : 'Not locked out.'}</p>`
  }
${
  lockout.length === 0
    ? ''
    : table({
        caption: 'Failure counters',
        head: ['Counter', 'Failed attempts', 'Locked until', 'Lockouts in a row'],
        rows: lockout.map((c) => [
          COUNTER_LABEL[c.counter] ?? c.counter,
          String(c.failures),
          c.lockedUntil ? t2(c.lockedUntil) : 'Not locked',
          String(c.lockLevel),
        ]),
        empty: 'No failure counters.',
      })
}
${lockout.length > 0 ? html`<div class="actions">${action('unlock', 'Unlock now')}</div>` : ''}`,
)}
${section(
  'h-sign-ins',
  'Recent sign-ins',
  html`${table({
    caption: `The last 20 sign-ins of ${u.username}`,
    head: ['When', 'What happened', 'From', 'Result'],
    rows: signIns.map((e) => [
      html`${timeAgo(Date.parse(e.lastAt), now)}${e.count > 1 ? html`<br><span class="muted small">${repeats(e, now)}</span>` : ''}`,
      describeSignIn(e, 'staff'),
      e.ip,
      e.result === 'accepted'
        ? badge('Success', 'ok')
        : badge(REASON_LABEL[(e.reason ?? '') as LoggedReason] ?? 'Refused', 'bad'),
    ]),
    empty: 'No sign-ins yet.',
  })}
<p>${linkButton(`/admin/sign-ins?user=${encodeURIComponent(u.username)}`, `All sign-ins of ${u.username}`, 'link')}${allowed(a, 'audit.read') ? html` ${linkButton(`/admin/audit?target=${encodeURIComponent(u.username)}`, `Changes to ${u.username} (audit log)`, 'link')}` : ''}</p>`,
)}`;
    return web.render(req, reply, s, { title: who(u), nav: 'admin-users', body, flash });
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
      const why = x.unavailable?.(t);
      if (why) return unavailablePage(req, reply, s, x, t, v, why);
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
        const v = choiceOf(req);
        const back = userPath(t.u.username);
        const settings = await core.ctx.settings.get();
        return web.render(req, reply, s, {
          title: x.title(t, v),
          nav: 'admin-users',
          body: html`${pageHeader(x.question(t, v, settings), x.detail(t, v, settings))}
${postForm(
  `${back}/${x.slug}`,
  web.csrf(req, reply),
  html`${x.param ? html`<input type="hidden" name="${x.param.name}" value="${v}">` : ''}<div class="actions">${button(x.yes ?? 'Yes', { kind: x.danger ? 'danger' : 'primary' })} ${linkButton(back, 'No')}</div>`,
)}`,
        });
      });
    }

    admin.post<{ Params: { name: string } }>(`/users/:name/${x.slug}`, pre, async (req, reply) => {
      const { s, a } = pageCtx(req);
      const t = target.of(req);
      const v = choiceOf(req);
      const r = await x.run(a, t, v);
      if ('done' in r) {
        return reply.redirect(
          `${userPath(t.u.username)}?done=${r.done}${r.n !== undefined ? `&n=${r.n}` : ''}`,
          303,
        );
      }
      return web.render(req, reply, s, { title: r.title, nav: 'admin-users', body: r.body });
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
      const t = target.of(req);
      const x = app.of(req);
      const back = userPath(t.u.username);
      return web.render(req, reply, s, {
        title: 'Remove app access',
        nav: 'admin-users',
        body: html`${pageHeader(`Remove ${x.name}’s access to ${who(t.u)}’s account?`, removeDetail(x, 'staff'))}
${postForm(appRemovePath(t.u.username, x.clientId), web.csrf(req, reply), html`<div class="actions">${button('Yes, remove it', { kind: 'danger' })} ${linkButton(back, 'No')}</div>`)}`,
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
