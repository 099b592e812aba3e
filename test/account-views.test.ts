// The account pages' views drawn without a server (src/http/pages/account/): each handler builds a
// view from the core, and a plain function draws it in the person's language. These check what the
// drawing shows in English and Dutch, that names are escaped, that no key is shown instead of words;
// then, through the pages, the language setting of the portal.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPasswordView } from '../src/core/app-passwords.js';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import type { SignInEventView } from '../src/core/sign-in-log.js';
import { buildApp } from '../src/http/app.js';
import { wordsFor } from '../src/http/i18n/index.js';
import {
  appPasswordsBody,
  createBody,
  createdBody,
  describeServices,
} from '../src/http/pages/account/app-passwords.js';
import { appleBody, appleRefusedBody } from '../src/http/pages/account/apple-profile.js';
import { helpBody } from '../src/http/pages/account/help.js';
import { noAppPasswordsBody } from '../src/http/pages/account/index.js';
import { newMethodBody, removeMethodBody, verifyBody } from '../src/http/pages/account/methods.js';
import { passwordBody } from '../src/http/pages/account/password.js';
import { flashOf, type SecurityView, securityBody } from '../src/http/pages/account/security.js';
import { signInsBody } from '../src/http/pages/account/sign-ins.js';
import type { SafeHtml } from '../src/http/pages/html.js';
import { describeSignIn, repeats, shortAgent } from '../src/http/pages/sign-in-events.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const T0 = Date.parse('2026-11-01T12:00:00Z');
const en = wordsFor('en');
const nl = wordsFor('nl');
const iso = (ms: number) => new Date(ms).toISOString();

/** What a person reads; and no catalogue key ("account.security.title") where words should be. */
function read(h: SafeHtml): string {
  const s = text(h.value);
  expect(s).not.toMatch(/\b(account|events|common|nav)\.[a-z]+\.[a-zA-Z.]+/);
  return s;
}

function security(o: Partial<SecurityView> = {}): SecurityView {
  return {
    now: T0,
    csrf: 'tok',
    twoStep: 'enforced',
    methods: [
      {
        id: 'm1',
        kind: 'totp',
        name: 'Phone <b>',
        isDefault: true,
        createdAt: T0 - 3 * 86_400_000,
        lastUsedAt: T0 - 5 * 60_000,
      },
      {
        id: 'm2',
        kind: 'webauthn',
        name: 'Blue key',
        isDefault: false,
        createdAt: T0 - 86_400_000,
        lastUsedAt: null,
      },
    ],
    recoveryCodes: { total: 10, unused: 7 },
    showDevices: true,
    rememberedDevices: 2,
    sessions: [
      {
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
        ip: '198.51.100.7',
        createdAt: T0 - 3_600_000,
        lastSeenAt: T0 - 60_000,
        current: true,
      },
    ],
    language: null,
    ...o,
  };
}

function appPassword(id: string, o: Partial<AppPasswordView> = {}): AppPasswordView {
  return {
    id,
    label: `Phone ${id}`,
    scopes: null,
    createdAt: iso(T0 - 86_400_000),
    expiresAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    lastUsedDoor: null,
    ...o,
  };
}

function event(o: Partial<SignInEventView> = {}): SignInEventView {
  return {
    id: 1,
    at: iso(T0 - 3 * 3_600_000),
    lastAt: iso(T0 - 60_000),
    count: 1,
    username: 'erin',
    door: 'imap',
    ip: '198.51.100.9',
    userAgent: null,
    result: 'refused',
    reason: 'app_password_required',
    credential: 'password',
    appPasswordId: null,
    appPasswordLabel: null,
    clientId: null,
    clientName: null,
    cursor: 'c',
    ...o,
  };
}

describe('security info', () => {
  it('shows the methods, codes, devices, sessions and the language form in English', () => {
    const h = securityBody(en, security());
    const s = read(h);
    expect(s).toContain('Security info');
    expect(s).toContain('On. Apps that cannot ask for a second step need app passwords.');
    expect(s).toContain('Authenticator app');
    expect(s).toContain('Security key or passkey');
    expect(s).toContain('7 of 10 codes left.');
    expect(s).toContain('2 devices can skip the second step at sign-in.');
    expect(s).toContain('Firefox on Windows');
    expect(s).toContain('This browser');
    expect(s).toContain('5 minutes ago');
    expect(h.value).toContain('Phone &lt;b&gt;');
    expect(h.value).toContain('action="/account/language"');
    expect(h.value).toContain('<option value="" selected>The language of my browser</option>');
    expect(h.value).toContain('<option value="nl">Nederlands</option>');
    // The default method has no "Make default"; the other has.
    expect(h.value.match(/\/default"/g)).toHaveLength(1);
  });

  it('speaks Dutch, with the chosen language selected', () => {
    const s = read(securityBody(nl, security({ language: 'nl' })));
    expect(s).toContain('Beveiligingsgegevens');
    expect(s).toContain('Verificatie in twee stappen');
    expect(s).toContain('Authenticator-app');
    expect(s).toContain('Nog 7 van de 10 codes over.');
    expect(s).toContain('2 apparaten mogen de tweede stap overslaan');
    expect(s).toContain('Firefox op Windows');
    expect(s).toContain('5 minuten geleden');
    expect(s).toContain('Overal afmelden');
    expect(securityBody(nl, security({ language: 'nl' })).value).toContain(
      '<option value="nl" selected>Nederlands</option>',
    );
  });

  it('leaves out methods and codes while two-step is off and nothing is set up', () => {
    const s = read(securityBody(en, security({ twoStep: 'disabled', methods: [], showDevices: false })));
    expect(s).toContain('Off. Your administrator turns it on for your account.');
    expect(s).not.toContain('Verification methods');
    expect(s).not.toContain('Remembered devices');
  });

  it('says what was done, and nothing for an unknown done', () => {
    expect(flashOf(nl, 'language-changed')?.text).toContain('Je taal is opgeslagen');
    expect(flashOf(en, 'password-changed')?.text).toBe(
      'Your password was changed. Other browsers were signed out.',
    );
    expect(flashOf(en, 'toString')).toBeNull();
    expect(flashOf(en, undefined)).toBeNull();
  });
});

describe('methods and the sudo check', () => {
  it('draws the authenticator form in both languages', () => {
    const v = {
      kind: 'totp' as const,
      csrf: 'tok',
      sealed: 'sealed',
      seed: 'JBSWY3DPEHPK3PXP',
      uri: 'otpauth://totp/Latchkey:erin?secret=JBSWY3DPEHPK3PXP',
      name: 'Authenticator app',
      error: null,
    };
    expect(read(newMethodBody(en, v))).toContain('Add an authenticator app');
    const s = read(newMethodBody(nl, { ...v, error: 'Die code klopt niet.' }));
    expect(s).toContain('Authenticator-app toevoegen');
    expect(s).toContain('Code uit de app');
    expect(s).toContain('Fout: Die code klopt niet.');
  });

  it('asks before removing, with the name escaped', () => {
    const h = removeMethodBody(nl, { csrf: 'tok', id: 'm1', name: '<script>' });
    expect(h.value).toContain('‘&lt;script&gt;’ verwijderen?');
    expect(read(h)).toContain('Nee, behouden');
  });

  it('asks for the password or a second step', () => {
    const v = {
      csrf: 'tok',
      method: 'password' as const,
      webauthnOptions: null,
      kinds: new Set<string>(),
      error: null,
    };
    expect(read(verifyBody(nl, v))).toContain('Typ je wachtwoord om deze wijziging te maken.');
    expect(read(verifyBody(en, { ...v, method: 'totp', kinds: new Set(['totp']) }))).toContain(
      'This change needs a fresh second step.',
    );
  });
});

describe('app passwords', () => {
  it('lists them with doors, expiry and the way to connect a device', () => {
    const list = [
      appPassword('a', {
        scopes: ['imap', 'smtp'],
        expiresAt: iso(T0 + 5 * 86_400_000),
        lastUsedAt: iso(T0 - 120_000),
        lastUsedDoor: 'imap',
        lastUsedIp: '198.51.100.9',
      }),
      appPassword('b'),
    ];
    const v = { now: T0, list, max: 2, appleServices: describeServices(en, services()) };
    const s = read(appPasswordsBody(en, v));
    expect(s).toContain('Only for Mail (IMAP), Sending mail (SMTP)');
    expect(s).toContain('Expires in 5 days');
    expect(s).toContain('Mail (IMAP) · 198.51.100.9');
    expect(s).toContain('You have 2 app passwords, the most you can have.');
    expect(s).toContain('2 of 2 used.');
    expect(s).toContain('sets up mail, calendars and contacts on an Apple device');
    expect(s).toContain('Connect a device');
    expect(appPasswordsBody(en, v).value).toContain('href="/device"');

    const d = read(appPasswordsBody(nl, { ...v, appleServices: describeServices(nl, services()) }));
    expect(d).toContain('Alleen voor E-mail (IMAP), E-mail verzenden (SMTP)');
    expect(d).toContain('Verloopt over 5 dagen');
    expect(d).toContain('e-mail, agenda’s en contacten');
    expect(d).toContain('Apparaat koppelen');
    expect(d).toContain('Maken');
  });

  it('says why there are none for this person', () => {
    expect(read(noAppPasswordsBody(nl, { allowed: false }))).toContain(
      'Je organisatie staat geen app-wachtwoorden toe.',
    );
    expect(read(noAppPasswordsBody(en, { allowed: true }))).toContain('Yours is off');
  });

  it('draws the create form and the password shown once', () => {
    const s = read(createBody(nl, { csrf: 'tok', label: '', error: null }));
    expect(s).toContain('Een app-wachtwoord maken');
    expect(s).toContain('Over 30 dagen');
    expect(s).toContain('Agenda en contacten (DAV)');
    const c = createdBody(nl, { label: 'Telefoon <x>', password: 'abcd efgh ijkl mnop' });
    expect(c.value).toContain('App-wachtwoord voor Telefoon &lt;x&gt;');
    expect(read(c)).toContain('Wachtwoord naar klembord kopiëren');
    expect(read(c)).toContain('Sluiten');
  });

  it('draws the Apple profile form and its refusals', () => {
    const v = {
      csrf: 'tok',
      offer: 'o',
      services: describeServices(nl, services()),
      device: '',
      error: null,
    };
    expect(read(appleBody(nl, v))).toContain('instelt op het apparaat');
    expect(read(appleRefusedBody(en, 'used'))).toContain('This profile was already downloaded');
    expect(read(appleRefusedBody(nl, 'expired'))).toContain('Dit formulier is verlopen');
  });
});

describe('password, sign-ins and help', () => {
  it('draws the password form in Dutch', () => {
    const s = read(passwordBody(nl, { csrf: 'tok', username: 'erin', revokeForced: false, error: null }));
    expect(s).toContain('Wachtwoord wijzigen');
    expect(s).toContain('Minstens 8 tekens.');
    expect(s).toContain('Ook mijn app-wachtwoorden verwijderen');
  });

  it('tells the person what happened at each sign-in, and how often', () => {
    const events = [
      event({ count: 12 }),
      event({ id: 2, door: 'browser', result: 'accepted', credential: 'totp', reason: null }),
    ];
    const s = read(signInsBody(en, { now: T0, events }));
    expect(s).toContain('Mail (IMAP): an app used your account password; it needs an app password.');
    expect(s).toContain('12 times since 3 hours ago');
    expect(s).toContain('Signed in on the web (second step: authenticator app).');
    const d = read(signInsBody(nl, { now: T0, events }));
    expect(d).toContain('E-mail (IMAP): een app gebruikte je accountwachtwoord');
    expect(d).toContain('12 keer, voor het eerst 3 uur geleden');
    expect(d).toContain('Aangemeld op het web (tweede stap: authenticator-app).');
    expect(d).toContain('Geweigerd');
  });

  it('describes for the helpdesk too, and names browsers in the language', () => {
    expect(describeSignIn(event(), 'staff', nl)).toContain('Deze persoon heeft een app-wachtwoord');
    expect(
      describeSignIn(event({ reason: 'app_password_expired', appPasswordLabel: 'Phone' }), 'self', nl),
    ).toBe(
      'E-mail (IMAP): app-wachtwoord ‘Phone’ is verlopen. Maak een nieuw app-wachtwoord voor dat apparaat.',
    );
    expect(shortAgent(null, nl)).toBe('Onbekende browser');
    expect(repeats(event({ count: 3, at: iso(T0 - 30_000), lastAt: iso(T0) }), T0, nl).value).toBe('3 keer');
  });

  it('draws help with its links in both languages', () => {
    const h = helpBody(nl);
    expect(read(h)).toContain('Als je app-wachtwoorden niet werken');
    expect(h.value).toContain('<a href="/account/app-passwords">App-wachtwoorden</a>');
    expect(read(helpBody(en))).toContain("If your app passwords aren't working");
  });
});

function services() {
  const url = new URL('https://dav.example.org/');
  return {
    organization: 'Example',
    domains: ['example.org'],
    loginName: 'address' as const,
    imap: { host: 'mail.example.org', port: 993, security: 'ssl' as const },
    smtp: { host: 'mail.example.org', port: 465, security: 'ssl' as const },
    calDav: url,
    cardDav: url,
  };
}

// ---- the language setting, through the pages

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();

describe.each(kinds)('the portal language setting on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
    app = buildApp({ core, logLevel: 'silent' });
    await core.users.createUser(admin, { username: 'gina', password: 'gina password 1' });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  it.skipIf(!kind.available)(
    'saves Dutch on the account; an unknown code is refused and changes nothing',
    async () => {
      const c = new WebClient(app);
      await c.signIn('gina', 'gina password 1');
      let r = await c.get('/account');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-language']).toBe('en');
      expect(text(r.body)).toContain('Security info');

      r = await c.post('/account/language', { lang: 'nl' });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/account?done=language-changed');
      expect(String(r.headers['set-cookie'])).toContain('lk_lang=nl');
      r = await c.follow();
      expect(r.headers['content-language']).toBe('nl');
      expect(text(r.body)).toContain('Beveiligingsgegevens');
      expect(text(r.body)).toContain('Je taal is opgeslagen.');
      expect(r.body).toContain('<option value="nl" selected>');

      // Another browser of the same person speaks it too: it is on the account, not in a cookie.
      const other = new WebClient(app, '198.51.100.8');
      await other.signIn('gina', 'gina password 1');
      expect((await other.get('/account/sign-ins')).headers['content-language']).toBe('nl');

      r = await c.post('/account/language', { lang: 'xx' });
      expect(r.statusCode).toBe(400);
      expect(text(r.body)).toContain('Die taal is niet beschikbaar');
      r = await c.get('/account');
      expect(r.headers['content-language']).toBe('nl');

      // Without a form token, nothing is saved either.
      r = await c.post('/account/language', { lang: 'en', _csrf: 'forged' });
      expect(r.statusCode).toBe(403);
      expect((await c.get('/account')).headers['content-language']).toBe('nl');

      // Back to the browser's language (English here).
      r = await c.post('/account/language', { lang: '' });
      expect(r.statusCode).toBe(303);
      r = await c.follow();
      expect(r.headers['content-language']).toBe('en');
      expect(text(r.body)).toContain('Your language was saved.');

      // Chosen again, the browser keeps it after signing out: the sign-in page speaks it.
      await c.post('/account/language', { lang: 'nl' });
      r = await c.post('/sign-out');
      r = await c.follow();
      expect(r.headers['content-language']).toBe('nl');
      expect(text(r.body)).toContain('Je bent afgemeld.');
    },
  );

  it.skipIf(!kind.available)('needs a session', async () => {
    const c = new WebClient(app);
    await c.get('/sign-in');
    const r = await c.post('/account/language', { lang: 'nl' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/sign-in');
  });
});
