// The rest of the administration pages drawn without a server, in English and in Dutch: settings,
// the sign-in log, the audit log, API tokens, apps (OpenID Connect), RADIUS, the overview and its
// charts. Each view is a plain function of a typed view and the page's words (src/http/pages/admin/);
// these check what a person reads in each language, that no English is left in the Dutch, that
// numbers and dates follow the language, and that plural forms are chosen by count.

import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../src/core/audit.js';
import type { OidcClientView } from '../src/core/oidc-clients.js';
import type { SigningKeyView } from '../src/core/oidc-keys.js';
import { OVERVIEW_DAYS, type Overview } from '../src/core/overview.js';
import type { RadiusClientView } from '../src/core/radius-clients.js';
import { DEFAULT_SETTINGS, SETTINGS, type SettingKey } from '../src/core/settings.js';
import type { TokenView } from '../src/core/tokens.js';
import { CATALOGUES, type Lang, wordsFor } from '../src/http/i18n/index.js';
import type { Message } from '../src/http/i18n/types.js';
import { AUDIT_WORDS, auditBody } from '../src/http/pages/admin/audit.js';
import { clientBody, clientsListBody, newClientBody } from '../src/http/pages/admin/clients.js';
import { overviewBody } from '../src/http/pages/admin/overview.js';
import { newRadiusClientBody, newReplyRuleBody, radiusBody } from '../src/http/pages/admin/radius.js';
import { SETTING_WORDS, settingsBody } from '../src/http/pages/admin/settings.js';
import { label, REASON_KEY } from '../src/http/pages/admin/shared.js';
import { type SignInFilters, signInsBody } from '../src/http/pages/admin/sign-ins.js';
import {
  newTokenBody,
  revokeTokenBody,
  tokenCreatedBody,
  tokensListBody,
} from '../src/http/pages/admin/tokens.js';
import { horizontalBars, shareBar, stackedColumns } from '../src/http/pages/charts.js';
import { signInView, T0 } from './helpers/views.js';

const DAY = 86_400_000;
const en = wordsFor('en', 'UTC');
const nl = wordsFor('nl', 'Europe/Amsterdam');

/** The visible text of markup: tags out, the few entities we write decoded. */
const text = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');

/**
 * English sentences of the admin-rest areas that a Dutch page must not show: every English sentence
 * of ours (longer than a name) whose Dutch differs. `spared` lists names both languages share.
 */
const englishSentences = (() => {
  const e = CATALOGUES.en as Record<string, Message>;
  const d = CATALOGUES.nl as Record<string, Message>;
  const out: string[] = [];
  for (const [k, m] of Object.entries(e)) {
    if (JSON.stringify(m) === JSON.stringify(d[k])) continue;
    for (const s of typeof m === 'string' ? [m] : (Object.values(m) as string[])) {
      // The fixed part of a sentence: its longest run of words between placeholders.
      const longest = s
        .split(/\{\w+\}/)
        .map((p) => p.trim())
        .sort((a, b) => b.length - a.length)[0]!;
      if (longest.split(' ').length >= 3) out.push(longest);
    }
  }
  return out;
})();
function noEnglish(markup: string) {
  const t = text(markup);
  expect(englishSentences.filter((s) => t.includes(s))).toEqual([]);
  for (const word of [' the ', ' your ', ' and ', ' with ', ' this ', 'Delete', 'Create', ' password']) {
    expect(t, `"${word}" in: ${t}`).not.toContain(word);
  }
}

describe('settings', () => {
  const values = { ...DEFAULT_SETTINGS } as Record<string, string | number | boolean>;

  it('notices English: the check the Dutch pages pass fails on an English one', () => {
    expect(englishSentences.length).toBeGreaterThan(300);
    expect(() => noEnglish(settingsBody({ values, problems: {}, csrf: 'c' }, en).toString())).toThrow();
  });

  it('has words for every setting of the registry, in both languages', () => {
    for (const k of Object.keys(SETTINGS) as SettingKey[]) {
      for (const w of [en, nl]) {
        expect(w.t(SETTING_WORDS[k].label).length, k).toBeGreaterThan(2);
        expect(w.t(SETTING_WORDS[k].hint).length, k).toBeGreaterThan(2);
      }
    }
  });

  it('draws every setting grouped, with its label, hint and key, in English', () => {
    const out = settingsBody({ values, problems: {}, csrf: 'c' }, en).toString();
    expect(out).toContain('Failed attempts before a lockout');
    expect(out).toContain('<legend>Language and time</legend>');
    expect(out).toContain('<option value="nl">Nederlands</option>');
    expect(out).toContain('<code>timeZone</code>');
    expect(out).not.toContain('(R12)');
    for (const k of Object.keys(SETTINGS)) expect(out).toContain(`name="${k}"`);
  });

  it('speaks Dutch, refusals included, counted in the notice', () => {
    const out = settingsBody(
      {
        values: { ...values, imapHost: 'not a host' },
        problems: { imapHost: 'host', lockoutThreshold: 'integer' },
        csrf: 'c',
      },
      nl,
    ).toString();
    expect(out).toContain(
      'Er is niets opgeslagen. Verbeter de 2 instellingen die hieronder zijn gemarkeerd.',
    );
    expect(out).toContain('Vul een hostnaam in, zoals mail.example.org');
    expect(out).toContain('Vul een geheel getal in van 1 tot en met 1000.');
    expect(out).toContain('Instellingen opslaan');
    expect(out).toContain('value="not a host"');
    noEnglish(out.replace(/<code>[^<]*<\/code>/g, ''));
    const one = settingsBody({ values, problems: { imapHost: 'host' }, csrf: 'c' }, en).toString();
    expect(one).toContain('Nothing was saved. Fix the setting marked below.');
  });

  it('says how many settings were saved, nought included', () => {
    expect(en.t('admin.settings.saved', { count: 0 })).toBe('Settings saved. Nothing had changed.');
    expect(en.t('admin.settings.saved', { count: 1 })).toBe('Settings saved: 1 change.');
    expect(nl.t('admin.settings.saved', { count: 3 })).toBe('Instellingen opgeslagen: 3 wijzigingen.');
  });
});

describe('the audit log', () => {
  const event = (id: number, o: Partial<AuditEventView>): AuditEventView => ({
    id,
    at: new Date(T0 - id * 60_000).toISOString(),
    actor: 'user:root',
    actorIp: '192.0.2.7',
    action: 'user.updated',
    target: 'alice',
    details: null,
    ...o,
  });
  const events = [
    event(1, { action: 'user.role_changed', details: { before: 'user', after: 'helpdesk' } }),
    event(2, {
      action: 'settings.changed',
      target: 'allowAppPasswords',
      details: { before: true, after: false },
    }),
    event(3, { action: 'oidc_client.created', target: 'oidc_client:grafana', details: { public: false } }),
    event(4, { action: 'token.revoked', target: 'token:tok1', actor: 'cli:root' }),
    event(5, { action: 'radius_client.deleted', target: 'radius-client:office-vpn' }),
    event(6, {
      action: 'two_step.state_changed',
      details: { before: 'disabled', after: 'enforced', reason: 'admin_page' },
    }),
  ];
  const tokens = new Map<string, TokenView>();
  const draw = (lang: Lang) =>
    auditBody({ target: '', before: '', events, tokens, now: T0 }, lang === 'en' ? en : nl).toString();

  it('has a sentence for every action of the core, naming who and what in both languages', () => {
    for (const key of Object.values(AUDIT_WORDS)) {
      for (const w of [en, nl]) {
        const s = w.t(key, { who: 'WHO', target: 'WHAT' });
        expect(s, key).toContain('WHO');
        expect(s, key).toContain('WHAT');
      }
    }
  });

  it('tells each change as a sentence, with its details in words, in English', () => {
    const out = draw('en');
    expect(out).toContain(
      '<a href="/admin/users/root">root</a> changed the role of <a href="/admin/users/alice">alice</a>',
    );
    expect(out).toMatch(/<del>.*User.*<\/del>.*<ins>.*Helpdesk.*<\/ins>/s);
    expect(out).toMatch(
      /changed the setting Allow users to create app passwords.*<code>allowAppPasswords<\/code>/,
    );
    expect(out).toMatch(/<del>.*on.*<\/del>.*<ins>.*off.*<\/ins>/s);
    expect(out).toContain('registered the app <a href="/admin/clients/grafana">grafana</a> (OpenID Connect)');
    expect(out).toContain('The command line (root) revoked the API token <code>tok1</code>');
    expect(out).toContain('deleted the RADIUS client office-vpn');
    expect(out).toContain('by an administrator on the admin pages');
    expect(out).toContain('from 192.0.2.7');
    expect(out).toContain('<time datetime="2026-11-01T11:59:00.000Z"');
  });

  it('tells the same in Dutch, with no English left', () => {
    const out = draw('nl');
    expect(out).toContain(
      '<a href="/admin/users/root">root</a> heeft de rol van <a href="/admin/users/alice">alice</a> gewijzigd',
    );
    expect(out).toMatch(/<del>.*Gebruiker.*<\/del>.*<ins>.*Helpdesk.*<\/ins>/s);
    expect(out).toContain(
      'heeft app <a href="/admin/clients/grafana">grafana</a> (OpenID Connect) geregistreerd',
    );
    expect(out).toContain('door een beheerder op de beheerpagina’s');
    expect(out).toContain('1 minuut geleden');
    expect(out).toContain('Wat er is gebeurd');
    // The codes (the action, setting keys) are codes in every language.
    noEnglish(out.replace(/<code[^>]*>[^<]*<\/code>/g, ''));
  });

  it('pages and filters in Dutch', () => {
    const full = Array.from({ length: 200 }, (_, i) => event(500 - i, {}));
    const out = auditBody({ target: 'alice', before: '', events: full, tokens, now: T0 }, nl).toString();
    expect(out).toContain('De 200 meest recente wijzigingen');
    expect(out).toContain('Oudere wijzigingen');
    expect(out).toContain('href="/admin/audit?target=alice&amp;before=301"');
    const none = auditBody({ target: 'x', before: '', events: [], tokens, now: T0 }, nl).toString();
    expect(none).toContain('Er is geen wijziging aan ‘x’ vastgelegd.');
  });
});

describe('the sign-in log', () => {
  const none: SignInFilters = { user: '', door: '', result: '', reason: '', since: '', until: '' };
  const signIn = signInView;

  const events = [
    signIn(1, {}),
    signIn(2, { username: 'nobody', result: 'refused', reason: 'unknown_user', credential: null }),
    signIn(3, { door: 'oidc', credential: 'oidc_token', clientName: 'Grafana' }),
    signIn(4, {
      result: 'refused',
      reason: 'locked_out',
      credential: 'primary',
      count: 12,
      lastAt: new Date(T0).toISOString(),
      at: new Date(T0 - 3 * 3_600_000).toISOString(),
    }),
  ];

  it('speaks Dutch: filters, results, reasons, doors and the repeats', () => {
    const out = signInsBody({ filters: none, before: '', error: null, now: T0, events }, nl).toString();
    expect(out).toContain('App-wachtwoord ‘Phone’');
    expect(out).toContain('nobody <span class="muted small">(gebruiker bestaat niet)</span>');
    expect(out).toContain('Aangemeld bij Grafana (OpenID Connect)');
    expect(out).toContain(label(nl, REASON_KEY, 'locked_out'));
    expect(out).toContain('CSV downloaden');
    expect(out).toContain('<option value="refused">Geweigerd</option>');
    noEnglish(out);
  });

  it('counts the recent sign-ins of a full page in the language’s digits', () => {
    const full = Array.from({ length: 100 }, (_, i) => signIn(i + 1, {}));
    const f = { ...none, user: 'alice' };
    const out = signInsBody({ filters: f, before: '', error: null, now: T0, events: full }, nl).toString();
    expect(out).toContain('De 100 meest recente aanmeldingen die voldoen (de CSV bevat er maximaal 10.000)');
    const english = signInsBody(
      { filters: f, before: '', error: null, now: T0, events: full },
      en,
    ).toString();
    expect(english).toContain('The 100 most recent matching sign-ins (the CSV has up to 10,000)');
    expect(english).toContain('href="/admin/sign-ins?user=alice&amp;before=c100"');
  });
});

describe('API tokens', () => {
  const token = (id: string, o: Partial<TokenView> = {}): TokenView => ({
    id,
    role: 'helpdesk',
    label: `Script ${id}`,
    createdBy: 'user:root',
    createdAt: new Date(T0 - DAY).toISOString(),
    expiresAt: new Date(T0 + 5 * DAY).toISOString(),
    revokedAt: null,
    lastUsedAt: null,
    active: true,
    ...o,
  });

  it('lists tokens in Dutch, with relative dates and states', () => {
    const out = tokensListBody(
      { now: T0, tokens: [token('a'), token('b', { revokedAt: new Date(T0).toISOString(), active: false })] },
      nl,
    ).toString();
    expect(out).toContain('API-tokens');
    expect(out).toContain('over 5 dagen');
    expect(out).toContain('1 dag geleden');
    expect(out).toContain('door root');
    expect(out).toContain('Ingetrokken');
    expect(out).toContain('Intrekken');
    expect(out).toContain('Nooit');
    noEnglish(out.replace(/<code>[^<]*<\/code>/g, ''));
  });

  it('shows a new token once and asks before revoking, in Dutch, dates in the organisation’s zone', () => {
    const made = tokenCreatedBody({ ...token('n', { role: 'admin' }), token: 'lkt_secret' }, nl).toString();
    expect(made).toContain('API-token ‘Script n’');
    expect(made).toContain('Token met de rol Beheerder, verloopt op 6 nov 2026');
    expect(made).toContain('id="api-token">lkt_secret<');
    expect(made).toContain('Token naar klembord kopiëren');
    noEnglish(made.replace(/<code>[^<]*<\/code>/g, ''));
    const ask = revokeTokenBody(
      { token: token('r', { lastUsedAt: new Date(T0).toISOString() }), csrf: 'c' },
      nl,
    ).toString();
    expect(ask).toContain('API-token ‘Script r’ intrekken?');
    expect(ask).toContain('Het heeft de rol helpdesk en is voor het laatst gebruikt op 1 nov 2026, 13:00');
    expect(ask).toContain('action="/admin/tokens/r/revoke"');
    noEnglish(ask);
    expect(revokeTokenBody({ token: token('r'), csrf: 'c' }, en).toString()).toContain(
      'It has the helpdesk role and was never used.',
    );
  });

  it('draws the form to create one in both languages, keeping what was typed', () => {
    const d = { role: 'admin', label: 'Sync', expires: '365d', error: 'Kies een naam.', csrf: 'c' };
    const out = newTokenBody(d, nl).toString();
    expect(out).toContain('value="Sync"');
    expect(out).toContain('<option value="admin" selected>Beheerder: alles</option>');
    expect(out).toContain('<option value="365d" selected>Over een jaar</option>');
    expect(out).toContain('Kies een naam.');
    noEnglish(out);
    expect(newTokenBody({ ...d, error: null }, en).toString()).toContain('Create token');
  });
});

describe('apps (OpenID Connect)', () => {
  const client: OidcClientView = {
    clientId: 'client-1',
    name: 'grafana',
    public: false,
    trusted: true,
    redirectUris: ['https://grafana.example.org/login'],
    postLogoutRedirectUris: [],
    backchannelLogoutUri: null,
    scopes: ['openid', 'email'],
    createdAt: new Date(T0 - 2 * DAY).toISOString(),
    secretRotatedAt: null,
    lastUsedAt: null,
  };
  const key: SigningKeyView = {
    kid: 'k1',
    alg: 'ES256',
    createdAt: new Date(T0 - DAY).toISOString(),
    signsFrom: new Date(T0 - DAY).toISOString(),
    retiredAt: null,
    unpublishedAt: null,
    state: 'signing',
  } as SigningKeyView;

  it('lists the apps and keys in Dutch', () => {
    const out = clientsListBody(
      { clients: [client], keys: [key], now: T0, jwksUrl: 'https://id.example.org/oidc/jwks' },
      nl,
    ).toString();
    expect(out).toContain('Geregistreerde apps');
    expect(out).toContain('Vertrouwelijk (met geheim)');
    expect(out).toContain('Ondertekent nu tokens');
    expect(out).toContain('<code>https://id.example.org/oidc/jwks</code>');
    noEnglish(out.replace(/<code>[^<]*<\/code>/g, ''));
  });

  it('draws the register form in Dutch, the refusal beside its field and what was typed kept', () => {
    const draft = {
      name: 'Bad Name',
      redirectUris: 'https://x.example.org/cb',
      postLogoutRedirectUris: '',
      public: true,
      trusted: false,
      scopes: ['openid' as const],
    };
    const out = newClientBody(
      { draft, error: { at: 'name', text: 'Fout in de naam.' }, csrf: 'c' },
      nl,
    ).toString();
    expect(out).toMatch(
      /<p class="error" id="f-name-error"><span class="visually-hidden">[^<]+<\/span>Fout in de naam.<\/p>/,
    );
    expect(out).toContain('value="Bad Name"');
    expect(out).toContain('Openbare app: kan geen geheim bewaren');
    expect(out).toContain('openid: wie de persoon is');
    expect(out).toContain('Registreren');
    noEnglish(out);
    const above = newClientBody(
      { draft, error: { at: null, text: 'Vink iets aan.' }, csrf: 'c' },
      en,
    ).toString();
    expect(above).toContain(
      '<div class="notice notice-error"><div class="notice-body">Vink iets aan.</div></div>',
    );
  });

  it('shows one app in both languages', () => {
    const v = { client, issuer: 'https://id.example.org', now: T0 };
    const dutch = clientBody(v, nl).toString();
    expect(dutch).toContain('Client-ID <code>client-1</code>');
    expect(dutch).toContain('email: het e-mailadres');
    expect(dutch).toContain('Nooit: het geheim dat bij de registratie is getoond');
    expect(dutch).toContain('Een nieuw geheim geven');
    noEnglish(dutch.replace(/<code>[^<]*<\/code>/g, ''));
    expect(clientBody(v, en).toString()).toContain('Give it a new secret');
  });
});

describe('RADIUS', () => {
  const clients: RadiusClientView[] = [
    {
      id: 'r1',
      name: 'office-vpn',
      address: '192.0.2.7/32',
      requireMessageAuthenticator: true,
      createdAt: new Date(T0).toISOString(),
    },
    {
      id: 'r2',
      name: 'old-ap',
      address: '10.0.0.0/24',
      requireMessageAuthenticator: false,
      createdAt: new Date(T0).toISOString(),
    },
  ];
  const rules = [{ id: 'x1', client: null, group: 'admins', attribute: 'Filter-Id', value: 'staff' }];

  it('lists clients and reply rules in Dutch, warning about the opted-out one', () => {
    const out = radiusBody({ clients, rules, now: T0 }, nl).toString();
    expect(out).toContain('old-ap: verzoeken worden geaccepteerd zonder Message-Authenticator');
    expect(out).toContain('Niet verplicht: kwetsbaar voor BlastRADIUS');
    expect(out).toContain('Elke client');
    expect(out).toContain('zojuist');
    noEnglish(out.replace(/<code>[^<]*<\/code>/g, ''));
    const form = newRadiusClientBody(
      {
        draft: { name: 'printer', address: 'x', optOut: true },
        error: { at: 'address', text: nl.t('admin.radius.error.address') },
        csrf: 'c',
      },
      nl,
    ).toString();
    expect(form).toContain('Het adres moet een IP-adres zijn');
    expect(form).toContain('value="printer"');
    expect(form).toMatch(/name="noMessageAuthenticator"[^>]*checked/);
    noEnglish(form);
    const rule = newReplyRuleBody(
      {
        draft: { group: 'admins', attribute: 'Session-Timeout', value: '60', client: 'office-vpn' },
        clients: ['office-vpn'],
        error: null,
        csrf: 'c',
      },
      nl,
    ).toString();
    expect(rule).toContain(
      '<option value="Session-Timeout" selected>Session-Timeout: seconden voordat de sessie eindigt</option>',
    );
    expect(rule).toContain('<option value="office-vpn" selected>office-vpn</option>');
    expect(rule).toContain('Elke RADIUS-client');
    noEnglish(rule);
    const english = radiusBody({ clients: [], rules: [], now: T0 }, en).toString();
    expect(english).toContain('No RADIUS client is registered yet.');
    expect(english).toContain('No reply rule: an Access-Accept carries only Class.');
  });
});

describe('the overview and its charts', () => {
  const since = Math.floor(T0 / DAY) * DAY - (OVERVIEW_DAYS - 1) * DAY;
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => since + i * DAY);
  const hours = Array.from({ length: OVERVIEW_DAYS * 24 }, (_, i) => since + i * 3_600_000);
  const perHour = (at: number, n: number) => hours.map((_, i) => (i === at ? n : 0));
  const o: Overview = {
    now: T0,
    since,
    until: T0 + 1,
    days,
    hours,
    doors: [
      {
        door: 'ldap',
        accepted: perHour(100, 1200),
        refused: perHour(101, 1),
        acceptedTotal: 1200,
        refusedTotal: 1,
      },
    ],
    accepted: 1200,
    refused: 1,
    perDay: days.map((day, i) => ({ day, accepted: i === 4 ? 1200 : 0, refused: i === 4 ? 1 : 0 })),
    reasons: [{ reason: 'invalid_credentials', count: 1 }],
    lockouts: {
      names: 1,
      attempts: 2,
      days: days.map((day, i) => ({ day, names: i === 4 ? 1 : 0, attempts: i === 4 ? 2 : 0 })),
    },
    appPasswords: {
      created: 3,
      deleted: 1,
      days: days.map((day, i) => ({ day, created: i === 6 ? 3 : 0, deleted: i === 6 ? 1 : 0 })),
    },
    nonBrowser: {
      total: 1200,
      primary: 300,
      appPassword: 900,
      token: 0,
      primaryShare: 0.25,
      accounts: 1,
      top: [
        {
          userId: 'u1',
          username: 'lena',
          displayName: 'Lena',
          count: 300,
          lastAt: T0 - 3_600_000,
          doors: ['ldap'],
        },
      ],
    },
  };
  const reasons = (r: string, w: typeof en) => label(w, REASON_KEY, r);

  it('draws every section in English, with plural counts', () => {
    const out = text(overviewBody(o, en, reasons).toString());
    expect(out).toContain('1 name locked out, 2 attempts refused while locked');
    expect(out).toContain(
      '25% of successful sign-ins from apps (300 of 1,200) used an account password, by 1 account.',
    );
    expect(out).toContain('3 created, 1 deleted');
    expect(out).toContain(`By door, ${OVERVIEW_DAYS} days`);
  });

  it('speaks Dutch, with Dutch digits, days and percentages', () => {
    const markup = overviewBody(o, nl, reasons).toString();
    const out = text(markup);
    expect(out).toContain('1 naam vergrendeld, 2 pogingen geweigerd tijdens de vergrendeling');
    expect(out).toContain(
      '25% van de geslaagde aanmeldingen vanuit apps (300 van 1.200) gebruikte een accountwachtwoord, van 1 account.',
    );
    expect(out).toContain('3 gemaakt, 1 verwijderd');
    expect(out).toContain('Geslaagde aanmeldingen');
    // Day names in Dutch, on the core's UTC clock.
    expect(out).toMatch(/zondag 1 november/);
    expect(markup).toContain(`${nl.t('admin.overview.amount.refused', { count: 1 })}</title>`);
    noEnglish(markup.replace(/<code>[^<]*<\/code>/g, ''));
  });

  it('says there is nothing in each section of an empty week, in Dutch', () => {
    const empty: Overview = {
      ...o,
      doors: [],
      accepted: 0,
      refused: 0,
      reasons: [],
      lockouts: { names: 0, attempts: 0, days: [] },
      appPasswords: { created: 0, deleted: 0, days: [] },
      nonBrowser: {
        ...o.nonBrowser,
        total: 0,
        primary: 0,
        appPassword: 0,
        primaryShare: null,
        accounts: 0,
        top: [],
      },
    };
    const out = text(overviewBody(empty, nl, reasons).toString());
    expect(out).toContain(`Geen aanmeldingen in deze ${OVERVIEW_DAYS} dagen.`);
    expect(out).toContain(`Geen vergrendelingen in deze ${OVERVIEW_DAYS} dagen.`);
    expect(out).toContain(`In deze ${OVERVIEW_DAYS} dagen heeft geen app zich aangemeld.`);
  });

  it('draws charts with the language’s numbers in axis, bars and shares', () => {
    const cols = stackedColumns({
      id: 'x',
      title: 'T',
      desc: 'D',
      columns: ['a', 'b'],
      ticks: [],
      series: [{ key: 's', label: 'Reeks', cls: 'c', values: [1500, 0] }],
      amount: (n) => nl.t('admin.overview.amount.accepted', { count: n }),
      words: nl,
    }).toString();
    expect(cols).toContain('<title>a: Reeks, 1.500 geslaagd</title>');
    expect(cols).toMatch(/>2K<\/text>|>2\.000<\/text>|>2 K<\/text>/);
    const bars = horizontalBars({
      id: 'y',
      title: 'T',
      desc: 'D',
      items: [{ label: 'Fout wachtwoord', value: 1234 }],
      cls: 'c',
      amount: (n) => nl.t('admin.overview.amount.refused', { count: n }),
      words: nl,
    }).toString();
    expect(bars).toContain('<title>Fout wachtwoord: 1.234 geweigerd</title>');
    const share = shareBar({
      id: 'z',
      title: 'T',
      desc: 'D',
      parts: [
        { label: 'A', value: 1, cls: 'a' },
        { label: 'B', value: 2, cls: 'b' },
      ],
      words: nl,
    }).toString();
    expect(share).toContain('<title>A: 33,3% (1)</title>');
  });
});
