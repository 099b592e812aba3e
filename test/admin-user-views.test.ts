// The administration pages about people, drawn without a server in English and Dutch: one user's page
// and its actions (admin/user.ts: the page, each confirmation, the one-time password, the flash after
// an action), the list of users, the form to create one and the import report. These check what a
// helpdesk reads in each language, that plural messages count right, that the Dutch page has no
// English left on it, and that names people chose are escaped.

import { describe, expect, it } from 'vitest';
import type { AppPasswordView } from '../src/core/app-passwords.js';
import type { ImportReport } from '../src/core/import.js';
import type { LockoutStatus } from '../src/core/lockout.js';
import type { MethodsSummary } from '../src/core/methods.js';
import type { AppAccessView } from '../src/core/oidc-access.js';
import type { SignInEventView } from '../src/core/sign-in-log.js';
import type { UserView } from '../src/core/users.js';
import { CATALOGUES, wordsFor } from '../src/http/i18n/index.js';
import type { Message } from '../src/http/i18n/types.js';
import { importBody } from '../src/http/pages/admin/import.js';
import type { Target } from '../src/http/pages/admin/shared.js';
import {
  ACTIONS,
  type ActionSettings,
  type ActionSlug,
  confirmBody,
  flashText,
  oneTimePasswordBody,
  removeAppBody,
  type UserPageView,
  unavailableBody,
  userPageBody,
} from '../src/http/pages/admin/user.js';
import { newUserBody, usersListBody } from '../src/http/pages/admin/users.js';
import { iso, personView, signInView, T0 } from './helpers/views.js';

const en = wordsFor('en', 'UTC');
const nl = wordsFor('nl', 'Europe/Amsterdam');

/** Two-step enforced, created a month before T0. */
const person = (username: string, o: Partial<UserView> = {}): UserView =>
  personView(username, {
    twoStep: 'enforced',
    twoStepEffective: 'enforced',
    createdAt: iso(T0 - 30 * 86_400_000),
    ...o,
  });

function appPassword(label: string, o: Partial<AppPasswordView> = {}): AppPasswordView {
  return {
    id: `ap-${label}`,
    label,
    scopes: null,
    createdAt: iso(T0 - 3 * 86_400_000),
    expiresAt: null,
    lastUsedAt: iso(T0 - 3_600_000),
    lastUsedIp: '192.0.2.4',
    lastUsedDoor: 'imap',
    ...o,
  };
}

const methods = (n: number, devices = 0): MethodsSummary => ({
  methods: Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    kind: i === 0 ? ('totp' as const) : ('webauthn' as const),
    name: i === 0 ? 'Phone' : `Key ${i}`,
    isDefault: i === 0,
    createdAt: T0 - 10 * 86_400_000,
    lastUsedAt: T0 - 60_000,
  })),
  recoveryCodes: { total: 10, unused: 7, createdAt: T0 - 10 * 86_400_000 },
  rememberedDevices: Array.from({ length: devices }, (_, i) => ({
    id: `d${i}`,
    createdAt: T0 - 86_400_000,
    expiresAt: T0 + 29 * 86_400_000,
    lastUsedAt: null,
  })),
});

function target(o: Partial<Target> & { u?: UserView } = {}): Target {
  return {
    u: person('dora', { displayName: 'Dora Marquez' }),
    apps: [appPassword('Laptop mail'), appPassword('Phone mail', { scopes: ['imap', 'smtp'] })],
    methods: methods(2, 1),
    self: false,
    ...o,
  };
}

const lockedOut: LockoutStatus[] = [
  { counter: 'primary unfamiliar', failures: 5, lockedUntil: iso(T0 + 5 * 60_000), lockLevel: 1 },
  { counter: 'app familiar', failures: 2, lockedUntil: null, lockLevel: 0 },
];

/** Dora's mail sign-ins with her "Laptop mail", a minute apart. */
const signIn = (id: number, o: Partial<SignInEventView>): SignInEventView =>
  signInView(id, {
    at: iso(T0 - id * 60_000),
    lastAt: iso(T0 - id * 60_000),
    username: 'dora',
    ip: '198.51.100.4',
    appPasswordId: 'ap-Laptop mail',
    appPasswordLabel: 'Laptop mail',
    ...o,
  });

const app: AppAccessView = {
  clientId: 'wiki',
  name: 'wiki',
  trusted: false,
  scopes: ['openid', 'profile'],
  grantedAt: iso(T0 - 86_400_000),
  lastUsedAt: iso(T0 - 3_600_000),
};

const ALL: ActionSlug[] = ACTIONS.map((x) => x.slug);
const HELPDESK: ActionSlug[] = [
  'reset-password',
  'reregister',
  'forget-devices',
  'delete-app-passwords',
  'unlock',
];

function page(o: Partial<UserPageView> = {}): UserPageView {
  return {
    now: T0,
    target: target(),
    allowAppPasswords: true,
    lockout: lockedOut,
    signIns: [
      signIn(1, {}),
      signIn(2, { result: 'refused', reason: 'invalid_credentials', credential: 'primary' }),
    ],
    apps: [app],
    canRemoveApps: true,
    canReadAudit: true,
    offered: new Set(ALL),
    csrf: 'csrf-token',
    ...o,
  };
}

const settings: ActionSettings = {
  revokeAppPasswordsOnPasswordChange: false,
  requireTwoStepForEveryone: false,
  requireAppPasswordsForNonBrowser: false,
};
const action = (slug: ActionSlug) => ACTIONS.find((x) => x.slug === slug)!;

/** English sentences of the admin pages (without placeholders) that Dutch says differently. */
function englishOnly(prefixes: string[]): string[] {
  const english = CATALOGUES.en as Record<string, Message>;
  const dutch = CATALOGUES.nl as Record<string, Message>;
  return Object.keys(english)
    .filter((k) => prefixes.some((p) => k.startsWith(p)))
    .map((k) => [english[k], dutch[k]] as const)
    .filter(([e, d]) => typeof e === 'string' && e !== d && !e.includes('{') && e.length >= 8)
    .map(([e]) => e as string);
}

describe('one user’s page', () => {
  it('shows the account, two-step, app passwords, apps, lockout and sign-ins in English', () => {
    const out = userPageBody(page(), en).toString();
    expect(out).toContain('<h1>Dora Marquez</h1>');
    for (const text of [
      'Account',
      'Active',
      'Two-step verification',
      '7 of 10 unused',
      'Verification methods',
      'Authenticator app',
      'App passwords of dora',
      'Laptop mail',
      'Every kind of app',
      'Apps with access to the account of dora',
      'Failure counters',
      'Account password, from unknown places',
      'Locked out until Nov 1, 2026, 12:05',
      'The last 20 sign-ins of dora',
      'Wrong password',
      'Success',
      'Changes to dora (audit log)',
    ]) {
      expect(out, text).toContain(text);
    }
    // Each action as a link to its confirmation, or a form that posts at once (unlock).
    expect(out).toContain('href="/admin/users/dora/reset-password"');
    expect(out).toContain('href="/admin/users/dora/delete-app-passwords"');
    expect(out).toMatch(/<form method="post" action="\/admin\/users\/dora\/unlock"/);
    expect(out).toContain('action="/admin/users/dora/role"');
  });

  it('speaks Dutch, with no English sentence of these pages left, times in the organisation’s zone', () => {
    const out = userPageBody(page(), nl).toString();
    for (const text of [
      'Actief',
      'Verificatie in twee stappen',
      '7 van 10 ongebruikt',
      'Verificatiemethoden',
      'Authenticator-app',
      'App-wachtwoorden van dora',
      'Elk soort app',
      'Tellers van mislukte pogingen',
      'Accountwachtwoord, vanaf onbekende plekken',
      // 12:05 UTC is 13:05 in Amsterdam in November.
      'Vergrendeld tot 1 nov 2026, 13:05',
      'Verkeerd wachtwoord',
      'Gelukt',
      'Alle app-wachtwoorden verwijderen',
      'Wachtwoord opnieuw instellen',
      'Nu ontgrendelen',
      'Wijzigen…',
      'Wijzigingen aan dora (auditlogboek)',
    ]) {
      expect(out, text).toContain(text);
    }
    for (const sentence of englishOnly(['admin.user.', 'admin.common.'])) {
      expect(out, sentence).not.toContain(`>${sentence}<`);
    }
    expect(out).not.toContain('Recent sign-ins');
    expect(out).not.toContain('Never');
  });

  it('offers only what the viewer may do, and says what a state means', () => {
    const helpdesk = userPageBody(page({ offered: new Set(HELPDESK), canReadAudit: false }), en).toString();
    expect(helpdesk).toContain('/admin/users/dora/reset-password');
    expect(helpdesk).not.toContain('/admin/users/dora/disable');
    expect(helpdesk).not.toContain('action="/admin/users/dora/role"');
    expect(helpdesk).not.toContain('action="/admin/users/dora/two-step"');
    expect(helpdesk).not.toContain('/admin/audit?');

    const required = target({
      u: person('ed', {
        status: 'disabled',
        twoStep: 'disabled',
        twoStepEffective: 'enforced',
        passwordMustChange: true,
      }),
      apps: [],
      methods: methods(0),
    });
    const nlOut = userPageBody(
      page({ target: required, lockout: [], signIns: [], apps: null }),
      nl,
    ).toString();
    expect(nlOut).toContain('Uitgeschakeld');
    expect(nlOut).toContain(
      '(door de organisatie verplicht voor iedereen; de eigen instelling van het account is uit)',
    );
    expect(nlOut).toContain('Eenmalig wachtwoord: bij de volgende aanmelding op het web kiest de gebruiker');
    expect(nlOut).toContain('Ed heeft geen app-wachtwoorden.');
    expect(nlOut).toContain('Geen recente mislukte pogingen.');
    expect(nlOut).toContain('Nog geen aanmeldingen.');
    expect(nlOut).not.toContain('h-apps');
    const enOut = userPageBody(
      page({ target: required, lockout: [], signIns: [], apps: null }),
      en,
    ).toString();
    expect(enOut).toContain(
      '(required for everyone by the organization; the account&#39;s own setting is off)',
    );
    expect(enOut).toContain('Disabled');
  });

  it('tells people looking at their own account where to change it, and escapes what users named', () => {
    const own = userPageBody(page({ target: target({ self: true }) }), nl).toString();
    expect(own).toContain(
      'Dit is je eigen account. Je wachtwoord en methoden wijzig je bij <a href="/account">',
    );
    const evil = target({
      u: person('eve', { displayName: '<img src=x onerror=alert(1)>' }),
      apps: [appPassword('<script>x</script>')],
    });
    const out = userPageBody(page({ target: evil }), en).toString();
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('the confirmations of the support actions', () => {
  const confirm = (slug: ActionSlug, w = en, t = target(), value = '', s = settings) =>
    confirmBody({ action: action(slug), target: t, value, settings: s, csrf: 'c' }, w).toString();

  it('asks each question in both languages, with the Yes of the action and a No back to the user', () => {
    const out = confirm('disable', nl);
    expect(out).toContain('<h1>Het account van Dora Marquez uitschakelen?</h1>');
    expect(out).toContain('>Ja, uitschakelen</button>');
    expect(out).toContain('href="/admin/users/dora">Nee</a>');
    expect(confirm('disable')).toContain('Disable Dora Marquez&#39;s account?');
    for (const slug of ALL) {
      for (const w of [en, nl]) {
        const value = slug === 'two-step' ? 'enforced' : slug === 'role' ? 'helpdesk' : '';
        const html = confirm(slug, w, target(), value);
        expect(html, `${w.lang} ${slug}`).toMatch(/<h1>[^<]+\?<\/h1>/);
        expect(html, `${w.lang} ${slug}`).toContain(`action="/admin/users/dora/${slug}"`);
      }
    }
  });

  it('counts app passwords, methods and devices with plural messages', () => {
    const one = target({ apps: [appPassword('Phone')] });
    const three = target({ apps: [appPassword('a'), appPassword('b'), appPassword('c')] });
    expect(confirm('delete-app-passwords', en, one)).toContain('Delete the app password of Dora Marquez?');
    expect(confirm('delete-app-passwords', en)).toContain('Delete both app passwords of Dora Marquez?');
    expect(confirm('delete-app-passwords', en, three)).toContain(
      'Delete all 3 app passwords of Dora Marquez?',
    );
    expect(confirm('delete-app-passwords', nl, one)).toContain(
      'Het app-wachtwoord van Dora Marquez verwijderen?',
    );
    expect(confirm('delete-app-passwords', nl)).toContain(
      'Beide app-wachtwoorden van Dora Marquez verwijderen?',
    );
    expect(confirm('delete-app-passwords', nl, three)).toContain(
      'Alle 3 app-wachtwoorden van Dora Marquez verwijderen?',
    );

    expect(confirm('reregister', en)).toContain('Dora Marquez&#39;s 2 verification methods, recovery codes');
    expect(confirm('reregister', nl, target({ methods: methods(0) }))).toContain(
      'De herstelcodes en de onthouden apparaten van Dora Marquez worden verwijderd',
    );
    expect(confirm('reregister', nl, target({ methods: methods(1) }))).toContain(
      'De verificatiemethode van Dora Marquez, de herstelcodes',
    );
    expect(confirm('forget-devices', nl)).toContain('Het onthouden apparaat van Dora Marquez intrekken?');
    expect(confirm('forget-devices', en, target({ methods: methods(1, 4) }))).toContain(
      'Revoke Dora Marquez&#39;s 4 remembered devices?',
    );
  });

  it('says what turning two-step off does to app passwords, by the organisation’s settings', () => {
    expect(confirm('two-step', en, target(), 'disabled')).toContain(
      'Dora Marquez&#39;s 2 app passwords will be deleted: apps using them stop signing in',
    );
    expect(confirm('two-step', nl, target(), 'disabled')).toContain(
      'De 2 app-wachtwoorden van Dora Marquez worden verwijderd',
    );
    const everyone = { ...settings, requireTwoStepForEveryone: true };
    expect(confirm('two-step', nl, target(), 'disabled', everyone)).toContain(
      'Je organisatie vereist verificatie in twee stappen voor iedereen, dus in de praktijk blijft het aan. De 2 app-wachtwoorden van Dora Marquez blijven bestaan.',
    );
    const fresh = target({ methods: methods(0) });
    expect(confirm('two-step', en, fresh, 'enabled')).toContain(
      'At the next web sign-in Dora Marquez is asked for a second step. Dora Marquez has no verification method yet and sets one up at the next web sign-in. Until then, apps keep working with the account password.',
    );
    const revoke = { ...settings, revokeAppPasswordsOnPasswordChange: true };
    expect(confirm('reset-password', nl, target(), '', revoke)).toContain(
      'Ook de 2 app-wachtwoorden van de gebruiker worden verwijderd',
    );
    expect(confirm('reset-password', en, target(), '', settings)).not.toContain('app passwords');
  });

  it('says why an action cannot be taken now, and that nothing changed', () => {
    const t = target({ u: person('dora', { status: 'disabled' }), self: false });
    const why = action('disable').unavailable!(nl, t)!;
    expect(why).toBe('Het account is al uitgeschakeld.');
    const out = unavailableBody(
      { title: action('disable').title(nl), why, back: '/admin/users/dora' },
      nl,
    ).toString();
    expect(out).toContain('Het account is al uitgeschakeld. Er is niets gewijzigd.');
    expect(out).toContain('>Terug</a>');
    expect(action('reset-password').unavailable!(en, target({ self: true }))).toBe(
      'To change your own password, use Password in your account.',
    );
    expect(action('delete-app-passwords').unavailable!(nl, target({ apps: [] }))).toBe(
      'Dora Marquez heeft geen app-wachtwoorden.',
    );
  });

  it('shows the one-time password once, with what went with the old one', () => {
    const out = oneTimePasswordBody(
      { user: target().u, oneTimePassword: 'abcd efgh ijkl', appPasswordsDeleted: 1 },
      nl,
    ).toString();
    expect(out).toContain('<h1>Eenmalig wachtwoord voor Dora Marquez</h1>');
    expect(out).toContain('Eenmalig wachtwoord voor dora');
    expect(out).toContain('abcd efgh ijkl');
    expect(out).toContain('Wachtwoord naar klembord kopiëren');
    expect(out).toContain('1 app-wachtwoord is met het oude wachtwoord verwijderd.');
    expect(out).toContain('>Sluiten</a>');
  });

  it('asks before removing an app’s access', () => {
    const out = removeAppBody({ target: target(), app, csrf: 'c' }, nl).toString();
    expect(out).toContain('De toegang van wiki tot het account van Dora Marquez intrekken?');
    expect(out).toContain('action="/admin/users/dora/apps/wiki/remove"');
    expect(out).toContain('>Ja, intrekken</button>');
  });
});

describe('what the user’s page says after an action', () => {
  const flash = (done: string, n = 0, w = en, app = '') => flashText(w, { done, n, name: 'Dora', app });

  it('counts what was done, with a sentence of its own for nought', () => {
    expect(flash('app-passwords-deleted', 3)).toBe(
      '3 app passwords of Dora deleted. They stopped working at once; Dora can create new ones.',
    );
    expect(flash('app-passwords-deleted', 1, nl)).toBe(
      '1 app-wachtwoord van Dora verwijderd. Het werkt meteen niet meer; Dora kan nieuwe maken.',
    );
    expect(flash('unlocked', 0)).toBe('Dora was not locked out.');
    expect(flash('unlocked', 2, nl)).toBe(
      'Het account van Dora is ontgrendeld: 2 tellers van mislukte pogingen gewist.',
    );
    expect(flash('two-step-off', 0, nl)).toBe('Verificatie in twee stappen voor Dora staat uit.');
    expect(flash('two-step-off', 2)).toBe('Two-step verification for Dora is off. 2 app passwords deleted.');
    expect(flash('unchanged', 0, nl)).toBe('Er is niets gewijzigd: dat was de instelling al.');
  });

  it('names a removed app only when it can be a client’s name, and ignores codes it does not know', () => {
    expect(flash('app-removed', 0, nl, 'wiki')).toBe(
      'wiki heeft geen toegang meer tot het account van Dora. De tokens van de app werken meteen niet meer.',
    );
    expect(flash('app-removed', 0, en, '<b>x')).toBeNull();
    expect(flash('constructor')).toBeNull();
    expect(flash('nonsense')).toBeNull();
  });
});

describe('the list of users, creating one, and the import report, in Dutch', () => {
  it('lists users with their role, two-step state and status in Dutch words', () => {
    const out = usersListBody(
      {
        search: 'd',
        after: '',
        total: 1,
        users: [person('dora', { role: 'helpdesk', status: 'disabled', twoStep: 'disabled' })],
        more: false,
        canCreate: true,
      },
      nl,
    ).toString();
    expect(out).toContain('1 account in Latchkey.');
    expect(out).toContain('Gebruikers die passen bij “d”');
    expect(out).toContain('Helpdesk');
    expect(out).toContain('Aan <span class="muted small">(verplicht voor iedereen)</span>');
    expect(out).toContain('Uitgeschakeld');
    expect(out).toContain('>Gebruiker maken</a>');
    for (const sentence of englishOnly(['admin.users.'])) expect(out, sentence).not.toContain(sentence);
  });

  it('puts the core’s refusal at its field, or above the form when it names none', () => {
    const draft = { username: 'dora', email: '', displayName: '', role: 'user', twoStep: 'disabled' };
    const at = newUserBody(
      {
        draft,
        error: { code: 'USER_EXISTS', message: 'Er bestaat al een gebruiker met deze naam.' },
        csrf: 'c',
      },
      nl,
    ).toString();
    expect(at).toContain(
      'id="f-username-error"><span class="visually-hidden">Fout: </span>Er bestaat al een gebruiker met deze naam.',
    );
    expect(at).toContain(
      '<option value="enabled">Aan: instellen bij de volgende aanmelding op het web</option>',
    );
    const above = newUserBody(
      { draft, error: { code: 'ROLE_INVALID', message: 'Kies een rol.' }, csrf: 'c' },
      nl,
    );
    expect(above.toString()).toContain(
      '<div class="notice notice-error"><div class="notice-body">Kies een rol.</div>',
    );
  });

  it('reports an import with a plural message per count, and the lines to fix', () => {
    const done: ImportReport = {
      created: 1,
      updated: 2,
      unchanged: 0,
      errors: [],
    } as unknown as ImportReport;
    const v = { csv: '', error: null, csrf: 'c' };
    expect(importBody({ ...v, report: done }, en).toString()).toContain(
      '1 user created, 2 users updated, 0 users unchanged.',
    );
    expect(importBody({ ...v, report: done }, nl).toString()).toContain(
      '1 gebruiker gemaakt, 2 gebruikers bijgewerkt, 0 gebruikers ongewijzigd.',
    );
    const failed = {
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [{ line: 3, code: 'EMAIL_INVALID', message: 'The email address is not valid.' }],
    } as unknown as ImportReport;
    const out = importBody({ ...v, csv: 'username\nx', report: failed }, nl).toString();
    expect(out).toContain('Er is niets geïmporteerd');
    expect(out).toContain('1 regel moet worden verbeterd.');
    expect(out).toContain('<td data-label="Regel">3</td>');
    expect(out).toContain('<code>username</code> is verplicht');
  });
});
