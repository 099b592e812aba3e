// The catalogue of words (src/http/i18n): every language has every key with the same placeholders,
// every key is used by the pages, plural forms follow each language's rules, Accept-Language is
// negotiated by q-value, and the sign-in pages speak Dutch when asked — by the switcher, by the
// browser, by the organisation's default — through to a signed-in session with password and TOTP.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DETAILS,
  type Detail,
  type DetailId,
  type DetailParams,
  ERRORS,
  LatchkeyError,
  listOf,
  type UriSubject,
} from '../src/core/errors.js';
import { parseImport } from '../src/core/import.js';
import { type Core, createCore } from '../src/core/index.js';
import { checkRedirectUri } from '../src/core/oidc-clients.js';
import type { Actor } from '../src/core/policy.js';
import { parseSettingValue, SETTINGS } from '../src/core/settings.js';
import { totpCode } from '../src/crypto/totp.js';
import { buildApp } from '../src/http/app.js';
import {
  CATALOGUES,
  DETAIL_WORDS,
  ENGLISH,
  ERROR_WORDS,
  errorText,
  fromAcceptLanguage,
  LANGUAGES,
  refusalText,
  resolveLanguage,
  wordsFor,
} from '../src/http/i18n/index.js';
import type { Message } from '../src/http/i18n/types.js';
import { importBody } from '../src/http/pages/admin/import.js';
import { html } from '../src/http/pages/html.js';
import { describeWithChromium, launchChromium } from './helpers/browser.js';
import { DESKTOP, heading, screenshots, startWebServer, type WebServer, watch } from './helpers/e2e.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';
import { text, WebClient } from './helpers/web-client.js';

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const kinds: StoreKind[] = await storeKinds();

function holes(m: Message): Set<string> {
  const sentences = typeof m === 'string' ? [m] : Object.values(m);
  return new Set(sentences.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!)));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the catalogue', () => {
  const english = CATALOGUES.en as Record<string, Message>;
  const keys = Object.keys(english).sort();

  it('has the same keys, shapes and placeholders in every language', () => {
    expect(LANGUAGES).toEqual(['en', 'nl']);
    for (const lang of LANGUAGES) {
      const c = CATALOGUES[lang] as Record<string, Message>;
      expect(Object.keys(c).sort(), lang).toEqual(keys);
      for (const k of keys) {
        const want = english[k]!;
        const got = c[k]!;
        expect(typeof got, `${lang} ${k}`).toBe(typeof want);
        expect([...holes(got)].sort(), `${lang} ${k}: placeholders`).toEqual([...holes(want)].sort());
        if (typeof got !== 'string') {
          // The form most numbers take must name the count; the others may spell it out ("one day").
          expect(got.other, `${lang} ${k}: other`).toContain('{count}');
          expect(got.other.trim(), `${lang} ${k}`).not.toBe('');
        } else {
          expect(got.trim(), `${lang} ${k}`).not.toBe('');
        }
      }
    }
  });

  it('has no key the pages do not use, and the pages use no key it lacks', () => {
    const root = join(import.meta.dirname, '../src');
    const catalogueFiles = new Set(Object.keys(CATALOGUES).map((l) => join(root, 'http/i18n', `${l}.ts`)));
    const code = sourceFiles(root)
      .filter((f) => !catalogueFiles.has(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = keys.filter((k) => !code.includes(`'${k}'`));
    expect(unused).toEqual([]);
    // Every w.t('…') / w.markup('…') call names a key the catalogue has.
    const asked = [...code.matchAll(/\b(?:t|markup)\(\s*'([a-zA-Z]+\.[\w.]+)'/g)].map((m) => m[1]!);
    expect(asked.length).toBeGreaterThan(50);
    expect(asked.filter((k) => !(k in english))).toEqual([]);
  });

  it('words the core’s refusals: English exactly as the core writes them, Dutch from the catalogue', () => {
    const codes = Object.keys(ERROR_WORDS) as (keyof typeof ERRORS)[];
    expect(codes.length).toBeGreaterThan(40);
    const nl = wordsFor('nl');
    for (const code of codes) {
      const e = new LatchkeyError(code);
      // The English page reads the same sentence the API's refusal carries.
      expect(errorText(ENGLISH, e), code).toBe(ERRORS[code].message);
      expect(errorText(nl, e), code).not.toBe(ERRORS[code].message);
    }
    expect(errorText(nl, new LatchkeyError('FORBIDDEN'))).toBe('Je mag dit niet doen.');
    // A message the core wrote for one case stays as written; a code without words keeps the core's.
    expect(errorText(nl, new LatchkeyError('SETTING_INVALID', 'Groups are one of: users.'))).toBe(
      'Groups are one of: users.',
    );
    expect(errorText(nl, new LatchkeyError('KEY_MISMATCH'))).toBe(ERRORS.KEY_MISMATCH.message);
  });

  it('words the core’s particular refusals: English exactly as before, Dutch from the catalogue', () => {
    const nl = wordsFor('nl');
    const doors = listOf(['ldap', 'imap']);
    const what: UriSubject = { field: 'postLogout', n: 2 };
    // Each detail with parameters and the English the core wrote before it was data; a detail
    // without an example here is a type error.
    const examples: { [D in DetailId]: [DetailParams<D>, string] } = {
      radiusClientName: [
        {},
        'RADIUS client names are 1–64 characters from a–z, 0–9, ".", "_" and "-", starting with a letter or digit.',
      ],
      radiusClientAddress: [
        {},
        'The address must be an IP address or a range in CIDR notation, such as 192.0.2.7 or 10.0.0.0/24.',
      ],
      radiusClientExists: [{}, 'A RADIUS client with this name already exists.'],
      radiusClientNotFound: [{}, 'No such RADIUS client.'],
      radiusReplyNotFound: [{}, 'No such RADIUS reply rule.'],
      radiusReplyExists: [
        { group: 'staff', attribute: 'Filter-Id' },
        'Group staff already has a Filter-Id rule: delete it first.',
      ],
      radiusReplyExistsForClient: [
        { group: 'staff', attribute: 'Filter-Id', client: 'wifi' },
        'Group staff already has a Filter-Id rule for wifi: delete it first.',
      ],
      radiusReplyAttribute: [
        { attributes: listOf(['Filter-Id', 'Class', 'Session-Timeout']) },
        'Reply attributes are one of: Filter-Id, Class, Session-Timeout.',
      ],
      radiusReplyGroup: [{ groups: listOf(['users', 'staff']) }, 'Groups are one of: users, staff.'],
      radiusReplyText: [{ attribute: 'Filter-Id', max: 253 }, 'Filter-Id is 1–253 bytes of printable text.'],
      radiusReplyInteger: [
        { attribute: 'Session-Timeout', min: 1, max: 604800 },
        'Session-Timeout is a whole number from 1 to 604800.',
      ],
      radiusReplyIpv4: [
        { attribute: 'Framed-IP-Netmask' },
        'Framed-IP-Netmask is an IPv4 address such as 255.255.255.0.',
      ],
      radiusReplyEnum: [
        { attribute: 'Tunnel-Type', values: listOf(['VLAN (13)', 'GRE (10)'], 'or') },
        'Tunnel-Type is VLAN (13) or GRE (10).',
      ],
      radiusReplyVlan: [
        { attribute: 'Tunnel-Private-Group-Id' },
        'Tunnel-Private-Group-Id is a VLAN id from 1 to 4094.',
      ],
      settingUnknown: [
        { key: 'colour', known: listOf(['timeZone', 'defaultLanguage']) },
        'Unknown setting "colour". Known: timeZone, defaultLanguage.',
      ],
      settingBoolean: [{ key: 'appPasswords' }, 'appPasswords must be true or false.'],
      settingEnum: [
        { key: 'defaultLanguage', values: listOf(['en', 'nl']) },
        'defaultLanguage must be one of: en, nl.',
      ],
      settingInteger: [
        { key: 'sessionHours', min: 1, max: 8760 },
        'sessionHours must be a whole number from 1 to 8760.',
      ],
      settingText: [{ key: 'orgName' }, 'orgName must be text.'],
      settingTooLong: [{ key: 'orgName', max: 100 }, 'orgName must be at most 100 characters.'],
      settingOneLine: [{ key: 'orgName' }, 'orgName must be one line of plain text.'],
      settingHost: [
        { key: 'imapHost' },
        'imapHost must be a host name such as mail.example.org (no address, port or scheme).',
      ],
      settingDomain: [
        { key: 'ssoDomains', domain: 'x_y' },
        'ssoDomains: "x_y" is not a domain name such as example.org.',
      ],
      settingTooManyDomains: [{ key: 'ssoDomains', max: 50 }, 'ssoDomains may list at most 50 domains.'],
      settingTimeZone: [
        { key: 'timeZone' },
        'timeZone must be a time zone name such as Europe/Amsterdam or UTC.',
      ],
      settingHttps: [
        { key: 'davUrl' },
        'davUrl must be an https address such as https://dav.example.org/ (no user name, password or #fragment).',
      ],
      languageUnknown: [{ languages: listOf(['en', 'nl']) }, 'The language must be one of: en, nl.'],
      mailServerUnset: [{}, 'The organization has set no mail, calendar or contacts server.'],
      doorUnknown: [{ doors }, 'Unknown door. Doors: ldap, imap.'],
      scopeDoorUnknown: [{ door: 'ftp', doors }, 'Unknown door "ftp" in scope. Doors: ldap, imap.'],
      helpdeskChoosesPassword: [
        {},
        'The helpdesk resets passwords to a one-time password; it cannot choose one.',
      ],
      signInTooManyAttempts: [{}, 'Too many attempts. Wait a few minutes, then sign in again.'],
      sudoTooManyAttempts: [{}, 'Too many wrong attempts. Wait a few minutes, then try again.'],
      securityKeyRegistered: [{}, 'This security key is already registered. Use another key.'],
      tokenRole: [{}, 'API tokens have the role admin or helpdesk.'],
      csvNotCsv: [{ reason: 'CSV_QUOTE_NOT_CLOSED' }, 'The file is not valid CSV: CSV_QUOTE_NOT_CLOSED.'],
      csvNotCsvAt: [
        { line: 3, reason: 'CSV_QUOTE_NOT_CLOSED' },
        'The file is not valid CSV (line 3): CSV_QUOTE_NOT_CLOSED.',
      ],
      csvEmpty: [{}, 'The file is empty; it needs a header line.'],
      csvHeader: [
        { columns: 'username,email' },
        'The header must name columns from username,email, each once, including username.',
      ],
      csvHeaderUnknown: [
        { columns: 'username,email', unknown: 'mail' },
        'The header must name columns from username,email, each once, including username (unknown: mail).',
      ],
      csvTooManyRows: [{ max: 100000 }, 'At most 100000 rows per file.'],
      importAlsoOnLine: [{ line: 1234 }, 'Also on line 1234.'],
      importEmailOwner: [{ username: 'bob' }, 'Another user (bob) has this email address.'],
      uriEmpty: [{ what: { field: 'redirect' } }, 'Redirect URI: must be a non-empty string.'],
      uriTooLong: [{ what, max: 2000 }, 'Post-logout redirect URI 2: must be at most 2000 characters.'],
      uriNotAscii: [
        { what },
        'Post-logout redirect URI 2: must be printable ASCII without spaces or backslashes (percent-encode other characters).',
      ],
      uriNotAbsolute: [
        { what: { field: 'redirect', n: 1 } },
        'Redirect URI 1: must be an absolute https:// URI (http:// only for localhost or a loopback address).',
      ],
      uriUserInfo: [{ what }, 'Post-logout redirect URI 2: must not contain a user name or password.'],
      uriFragment: [{ what }, 'Post-logout redirect URI 2: must not contain a fragment (#).'],
      uriInvalid: [{ what: { field: 'backChannelLogout' } }, 'Back-channel logout URI: is not a valid URI.'],
      uriNoHost: [{ what }, 'Post-logout redirect URI 2: must name a host.'],
      uriNotHttps: [
        { what },
        'Post-logout redirect URI 2: must use https (http only for localhost or a loopback address).',
      ],
      urisRequired: [{ what: { field: 'redirect' } }, 'Redirect URI: at least one is required.'],
      urisNotList: [{ what: { field: 'postLogout' } }, 'Post-logout redirect URI: must be a list.'],
      urisTooMany: [{ what: { field: 'redirect' }, max: 20 }, 'Redirect URI: at most 20.'],
      auditBefore: [{}, 'before must be the id of an audit event.'],
      signInsTime: [
        { name: 'since' },
        'since must be a date or time such as 2026-11-22 or 2026-11-22T10:00Z.',
      ],
      signInsResult: [{}, 'result must be accepted or refused.'],
      signInsReason: [
        { reasons: listOf(['locked', 'wrong_password']) },
        'reason must be one of locked, wrong_password.',
      ],
      signInsBefore: [{}, 'before must be the cursor of a sign-in event.'],
      signInsUntil: [{}, 'until must be after since.'],
    };
    const ids = Object.keys(DETAILS) as DetailId[];
    expect(Object.keys(examples).sort()).toEqual([...ids].sort());
    const dutch = CATALOGUES.nl as Record<string, Message>;
    for (const id of ids) {
      const [params, english] = examples[id];
      const e = new LatchkeyError('SETTING_INVALID', { detail: id, params } as Detail);
      expect(e.message, id).toBe(english);
      expect(errorText(ENGLISH, e), id).toBe(english);
      const said = errorText(nl, e);
      expect(said, id).not.toBe(english);
      expect(said, id).not.toMatch(/[{}]/);
      // The Dutch sentence's own words, around what the parameters filled in.
      const words = String(dutch[DETAIL_WORDS[id]]).split(/\{\w+\}/);
      for (const piece of words) expect(said, id).toContain(piece);
    }
    // Lists, numbers and the URI's name in the language.
    const said = (id: DetailId) =>
      errorText(nl, new LatchkeyError('SETTING_INVALID', { detail: id, params: examples[id][0] } as Detail));
    expect(said('radiusReplyEnum')).toBe('Tunnel-Type moet VLAN (13) of GRE (10) zijn.');
    expect(said('uriTooLong')).toBe('URI na afmelden 2: mag hoogstens 2000 tekens lang zijn.');
    expect(said('importAlsoOnLine')).toBe('Staat ook op regel 1234.');
    // Thrown by the core: the refusal carries its detail.
    const refused = (f: () => unknown): LatchkeyError => {
      try {
        f();
      } catch (e) {
        if (e instanceof LatchkeyError) return e;
      }
      throw new Error('not refused');
    };
    const language = refused(() => parseSettingValue('defaultLanguage', 'xx'));
    expect(language.message).toBe(
      `defaultLanguage must be one of: ${SETTINGS.defaultLanguage.values.join(', ')}.`,
    );
    expect(errorText(nl, language)).toBe(
      `defaultLanguage moet een van deze waarden hebben: ${SETTINGS.defaultLanguage.values.join(', ')}.`,
    );
    const uri = refused(() => checkRedirectUri('http://example.org/cb', { field: 'redirect', n: 3 }));
    expect(uri.message).toBe(
      'Redirect URI 3: must use https (http only for localhost or a loopback address).',
    );
    expect(errorText(nl, uri)).toBe(
      'Redirect-URI 3: moet https gebruiken (http alleen voor localhost of een loopback-adres).',
    );
    // An import's row errors are data: their detail travels with them.
    const rows = parseImport('username,email\nann,a@example.org\nann,b@example.org\n');
    expect(rows.errors).toEqual([
      {
        line: 3,
        code: 'USER_EXISTS',
        message: 'Also on line 2.',
        detail: { detail: 'importAlsoOnLine', params: { line: 2 } },
      },
    ]);
    expect(refusalText(nl, rows.errors[0]!)).toBe('Staat ook op regel 2.');
    expect(refusalText(nl, { code: 'EMAIL_INVALID', message: ERRORS.EMAIL_INVALID.message })).toBe(
      errorText(nl, new LatchkeyError('EMAIL_INVALID')),
    );
    // The import page lists them in the page's language.
    const report = { created: 0, updated: 0, unchanged: 0, errors: rows.errors };
    const page = (w: typeof nl) => importBody({ csv: '', error: null, report, csrf: 'x' }, w).value;
    expect(page(nl)).toContain('Staat ook op regel 2.');
    expect(page(ENGLISH)).toContain('Also on line 2.');
  });

  it('chooses plural forms by each language’s rules: 0, 1 and 2', () => {
    const en = wordsFor('en');
    const nl = wordsFor('nl');
    expect(en.t('challenge.remember', { count: 0 })).toBe("Don't ask again on this device for 0 days");
    expect(en.t('challenge.remember', { count: 1 })).toBe("Don't ask again on this device for 1 day");
    expect(en.t('challenge.remember', { count: 2 })).toBe("Don't ask again on this device for 2 days");
    expect(nl.t('challenge.remember', { count: 0 })).toBe(
      'Niet meer vragen op dit apparaat gedurende 0 dagen',
    );
    expect(nl.t('challenge.remember', { count: 1 })).toBe('Niet meer vragen op dit apparaat gedurende 1 dag');
    expect(nl.t('challenge.remember', { count: 2 })).toBe(
      'Niet meer vragen op dit apparaat gedurende 2 dagen',
    );
    // Numbers in the language's own digits grouping.
    expect(nl.t('challenge.remember', { count: 1200 })).toContain('1.200 dagen');
    expect(en.t('challenge.remember', { count: 1200 })).toContain('1,200 days');
  });

  it('escapes the sentence and fills placeholders with markup only where given as markup', () => {
    const nl = wordsFor('nl');
    expect(nl.markup('flow.signingInAs', { name: '<b>Eve</b>' }).value).toBe(
      'Je meldt je aan als &lt;b&gt;Eve&lt;/b&gt;',
    );
    expect(nl.markup('flow.signingInAs', { name: html`<strong>${'Ève & co'}</strong>` }).value).toBe(
      'Je meldt je aan als <strong>Ève &amp; co</strong>',
    );
  });

  it('writes dates, times and relative times in the language and the organisation’s time zone', () => {
    const at = Date.UTC(2026, 6, 1, 12, 5); // 1 July 2026, 12:05 UTC = 14:05 in Amsterdam (summer time)
    const nlAms = wordsFor('nl', 'Europe/Amsterdam');
    expect(nlAms.dateTime(at)).toMatch(/1 jul 2026.*14:05/);
    expect(wordsFor('en', 'UTC').dateTime(at)).toMatch(/Jul 1, 2026.*12:05/);
    expect(nlAms.relative(at - 3 * 60_000, at)).toBe('3 minuten geleden');
    expect(nlAms.relative(at + 5 * 86_400_000, at)).toBe('over 5 dagen');
    expect(nlAms.relative(at - 10_000, at)).toBe('zojuist');
    expect(ENGLISH.relative(at - 3600_000, at)).toBe('1 hour ago');
  });

  it('checks the organisation’s time zone and default language settings', () => {
    expect(parseSettingValue('timeZone', 'europe/amsterdam')).toBe('Europe/Amsterdam');
    expect(parseSettingValue('timeZone', 'UTC')).toBe('UTC');
    expect(() => parseSettingValue('timeZone', 'Mars/Olympus_Mons')).toThrow(/time zone/);
    expect(() => parseSettingValue('timeZone', 'Europe/Amsterdam\n')).not.toThrow();
    expect(SETTINGS.defaultLanguage.values).toEqual(LANGUAGES);
    expect(parseSettingValue('defaultLanguage', 'nl')).toBe('nl');
    expect(() => parseSettingValue('defaultLanguage', 'de')).toThrow(/en, nl/);
  });
});

describe('Accept-Language', () => {
  it.each([
    ['nl-BE', 'nl'],
    ['nl-BE,nl;q=0.9,en;q=0.8', 'nl'],
    ['en-US,en;q=0.9,nl;q=0.8', 'en'],
    ['fr-FR, fr;q=0.9, nl;q=0.5, en;q=0.4', 'nl'],
    ['EN-gb;q=0.4, NL;q=0.7', 'nl'],
    ['en;q=0.5, nl;q=0.5', 'en'],
    ['nl;q=0, en', 'en'],
    ['nl;q=2, en;q=0.1', 'en'],
    ['nl;q=abc, en;q=0.1', 'en'],
    ['  nl  ;  q = 0.8 ', 'nl'],
    ['fr, de', null],
    ['nl;q=0', null],
    ['*', null],
    ['*, nl;q=0.5', null],
    ['', null],
    ['<script>, nl', 'nl'],
  ])('%j → %j', (header, want) => {
    expect(fromAcceptLanguage(header)).toBe(want);
  });

  it('gives way to the person’s own choice, then this browser’s, and falls back to the organisation’s', () => {
    expect(resolveLanguage({ account: 'en', cookie: 'nl', acceptLanguage: 'nl' })).toBe('en');
    expect(resolveLanguage({ account: null, cookie: 'nl', acceptLanguage: 'en' })).toBe('nl');
    expect(resolveLanguage({ account: 'xx', cookie: 'yy', acceptLanguage: 'nl-NL' })).toBe('nl');
    expect(resolveLanguage({ acceptLanguage: 'fr', orgDefault: 'nl' })).toBe('nl');
    expect(resolveLanguage({ acceptLanguage: 'fr', orgDefault: 'xx' })).toBe('en');
    expect(resolveLanguage({})).toBe('en');
  });
});

describe.each(kinds)('the sign-in pages in Dutch on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 10, 22, 9, 0, 0);
  const now = () => clock;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, now });
    app = buildApp({ core, logLevel: 'silent' });
    await core.users.createUser(admin, {
      username: 'anna',
      displayName: 'Anna',
      password: 'anna password 1',
    });
    await core.twoStep.setTwoStepState(admin, 'anna', 'enabled');
    await core.users.createUser(admin, { username: 'bram', password: 'bram password 1' });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await app.close();
    await core.close();
    await t.cleanup();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers, remoteAddress: '198.51.100.20' });

  it.skipIf(!kind.available)(
    'answers an address nobody serves with a page in the browser language, and programs with JSON',
    async () => {
      const html = { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' };
      let r = await get('/acount', { ...html, 'accept-language': 'nl-NL,nl;q=0.9' });
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-language']).toBe('nl');
      expect(r.headers['content-type']).toContain('text/html');
      // The same security headers as every other page (it is drawn outside the pages' scope).
      const signIn = await get('/sign-in', html);
      const security = (h: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(h).filter(
            ([k]) =>
              ![
                'content-type',
                'content-length',
                'content-language',
                'date',
                'connection',
                'set-cookie',
                'vary',
                'keep-alive',
                'x-request-id',
              ].includes(k),
          ),
        );
      expect(security(r.headers)).toEqual(security(signIn.headers));
      expect(r.body).toContain('<html lang="nl">');
      expect(text(r.body)).toContain('Hier staat geen pagina');
      r = await get('/acount', html);
      expect(text(r.body)).toContain('There is no page here');
      // The sign-in page's switcher wins over the browser, as on every page.
      r = await get('/nowhere', { ...html, 'accept-language': 'en', cookie: 'lk_lang=nl' });
      expect(r.body).toContain('<html lang="nl">');
      // Programs, and the API's paths, keep the problem JSON.
      for (const [url, accept] of [
        ['/acount', 'application/json'],
        ['/api/v1/nothing', html.accept],
      ] as const) {
        r = await get(url, { accept });
        expect(r.statusCode).toBe(404);
        expect(r.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      }
    },
  );

  it.skipIf(!kind.available)(
    'speaks English when nothing asks for Dutch, Dutch when the browser does',
    async () => {
      let r = await get('/sign-in');
      expect(r.body).toContain('<html lang="en">');
      expect(text(r.body)).toContain('Username or email');
      r = await get('/sign-in', { 'accept-language': 'nl-BE,nl;q=0.9,en;q=0.5' });
      expect(r.body).toContain('<html lang="nl">');
      expect(r.headers['content-language']).toBe('nl');
      const words = text(r.body);
      expect(words).toContain('Aanmelden');
      expect(words).toContain('Gebruikersnaam of e-mailadres');
      expect(words).toContain('Naar de inhoud');
      expect(words).not.toContain('Username or email');
    },
  );

  it.skipIf(!kind.available)(
    'follows the organisation’s default when the browser asks for no language of ours',
    async () => {
      await core.settings.updateSettings(admin, { defaultLanguage: 'nl' });
      try {
        let r = await get('/sign-in', { 'accept-language': 'fr-FR,de;q=0.8' });
        expect(r.body).toContain('<html lang="nl">');
        r = await get('/sign-in', { 'accept-language': 'en-GB' });
        expect(r.body).toContain('<html lang="en">');
      } finally {
        await core.settings.updateSettings(admin, { defaultLanguage: 'en' });
      }
    },
  );

  it.skipIf(!kind.available)(
    'switches with the switcher: the next page is Dutch, and a wrong language changes nothing',
    async () => {
      const c = new WebClient(app, '198.51.100.21');
      let r = await c.get('/sign-in');
      expect(r.body).toMatch(/<button[^>]*name="lang" value="nl" lang="nl"[^>]*>Nederlands<\/button>/);
      r = await c.post('/language', { lang: 'xx', return: '/sign-in' });
      expect(r.statusCode).toBe(303);
      expect(c.cookies.has('lk_lang')).toBe(false);
      r = await c.post('/language', { lang: 'nl', return: 'https://evil.example/' });
      expect(r.headers.location).toBe('/sign-in');
      expect(c.cookies.get('lk_lang')).toBe('nl');
      r = await c.follow();
      expect(r.body).toContain('<html lang="nl">');
      expect(text(r.body)).toContain('Gebruik je accountnaam en wachtwoord.');
      expect(r.body).toMatch(/value="en" lang="en"[^>]*>English</);
      // Without the form's token the switch is refused like any form.
      r = await c.post('/language', { lang: 'en', _csrf: 'x'.repeat(24) });
      expect(r.statusCode).toBe(403);
      expect(text(r.body)).toContain('Dit formulier is verlopen');
    },
  );

  it.skipIf(!kind.available)(
    'signs in with password and TOTP in Dutch, Dutch errors on the way',
    async () => {
      const c = new WebClient(app, '198.51.100.22');
      await c.get('/sign-in');
      await c.post('/language', { lang: 'nl', return: '/sign-in' });
      let r = await c.follow();
      r = await c.post('/sign-in', { username: 'anna', password: 'not it' });
      expect(r.statusCode).toBe(401);
      expect(text(r.body)).toContain('De gebruikersnaam of het wachtwoord klopt niet.');

      // First sign-in: registration of the authenticator app, all in Dutch.
      r = await c.post('/sign-in', { username: 'anna', password: 'anna password 1' });
      expect(r.headers.location).toBe('/sign-in/register');
      r = await c.follow();
      expect(r.body).toContain('<html lang="nl">');
      expect(text(r.body)).toContain('Verificatie in twee stappen instellen');
      expect(text(r.body)).toContain('Je meldt je aan als Anna');
      const seed = /class="secret-value small"[^>]*>([A-Z2-7 ]+)</.exec(r.body)![1]!.replace(/ /g, '');
      r = await c.post('/sign-in/register', { method: 'totp', code: '000000' });
      expect(r.statusCode).toBe(400);
      expect(text(r.body)).toContain('Fout: Die code klopt niet, of is al gebruikt.');
      r = await c.post('/sign-in/register', { method: 'totp', code: totpCode(seed, clock) });
      r = await c.follow();
      expect(text(r.body)).toContain('Bewaar je herstelcodes');
      // The method is named in her language, as the account page names one added later.
      const method = await t.store.db
        .selectFrom('two_step_methods')
        .innerJoin('users', 'users.id', 'two_step_methods.user_id')
        .select('two_step_methods.name')
        .where('users.username', '=', 'anna')
        .executeTakeFirstOrThrow();
      expect(method.name).toBe('Authenticator-app');
      r = await c.post('/sign-in/recovery-codes');
      r = await c.follow();
      expect(text(r.body)).toContain('Maak je eerste app-wachtwoord');
      r = await c.post('/sign-in/app-password', { label: 'Telefoon' });
      expect(text(r.body)).toContain('App-wachtwoord voor Telefoon');
      expect(text(r.body)).toContain('Wachtwoord naar klembord kopiëren');
      r = await c.post('/sign-in/done');
      expect(r.headers.location).toBe('/account');
      r = await c.follow();
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('<html lang="nl">');
      expect(text(r.body)).toContain('Afmelden');

      // Sign out (Dutch), then sign in again with the password and a code from the app.
      r = await c.post('/sign-out');
      r = await c.follow();
      expect(text(r.body)).toContain('Je bent afgemeld.');
      clock += 60_000;
      r = await c.signIn('anna', 'anna password 1');
      expect(r.headers.location).toBe('/sign-in/verify');
      r = await c.follow();
      expect(text(r.body)).toContain('Verificatie in twee stappen');
      expect(text(r.body)).toContain('Code uit je authenticator-app');
      r = await c.post('/sign-in/verify', { method: 'totp', code: totpCode(seed, clock) });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/account');
      r = await c.follow();
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('<html lang="nl">');
      expect(text(r.body)).toContain('Aangemeld als');
    },
  );

  it.skipIf(!kind.available)(
    'remembers a signed-in choice on the account, in another browser too',
    async () => {
      const c = new WebClient(app, '198.51.100.23');
      await c.signIn('bram', 'bram password 1');
      let r = await c.follow();
      expect(r.body).toContain('<html lang="en">');
      r = await c.post('/language', { lang: 'nl', return: '/account' });
      expect(r.headers.location).toBe('/account');
      const row = await t.store.db
        .selectFrom('users')
        .select('language')
        .where('username', '=', 'bram')
        .executeTakeFirstOrThrow();
      expect(row.language).toBe('nl');
      // Another browser, asking for English: once signed in, the account's choice wins.
      const other = new WebClient(app, '198.51.100.24');
      await other.signIn('bram', 'bram password 1');
      r = await other.follow();
      expect(r.body).toContain('<html lang="nl">');
      expect(text(r.body)).toContain('Beveiligingsgegevens');
      await expect(core.users.setUserLanguage(admin, 'bram', 'de')).rejects.toThrow(/en, nl/);
    },
  );
});

describeWithChromium('Chromium: the sign-in journey in Dutch', () => {
  let server: WebServer;
  let browser: Browser | null;
  const problems: string[] = [];
  const SHOTS = screenshots('latchkey-i18n-shots-');

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startWebServer();
    await server.core.users.createUser(admin, {
      username: 'noor',
      displayName: 'Noor',
      password: 'noor password 1',
    });
    await server.core.twoStep.setTwoStepState(admin, 'noor', 'enabled');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    SHOTS.cleanup();
  });

  /** A browser whose person reads Dutch: Chromium sends Accept-Language from its locale. */
  async function dutchTab(locale: string) {
    const context = await browser!.newContext({
      baseURL: server.origin,
      viewport: DESKTOP,
      colorScheme: 'light',
      reducedMotion: 'reduce',
      locale,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    // A refused sign-in (401) and a wrong code (400) are the pages' contract, not faults.
    watch(page, problems, new Map(), new Set([400, 401]));
    return { context, page };
  }

  it('registers, signs out and signs in with a code, every page in Dutch', async () => {
    const { context, page } = await dutchTab('nl-NL');
    await page.goto('/sign-in');
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    expect(await heading(page)).toBe('Aanmelden');
    await SHOTS.shot(page, 'sign-in-nl');

    await page.getByLabel('Gebruikersnaam of e-mailadres', { exact: true }).fill('noor');
    await page.getByLabel('Wachtwoord', { exact: true }).fill('noor password 1');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    expect(await heading(page)).toBe('Verificatie in twee stappen instellen');
    await page.getByText('Lukt scannen niet? Typ dan deze sleutel').click();
    const key = page.locator('details.manual-key .secret-value');
    await expect.poll(() => key.isVisible()).toBe(true);
    const seed = (await key.innerText()).replace(/\s+/g, '');
    await page.getByLabel('Typ de code van 6 cijfers die de app toont').fill(totpCode(seed, Date.now()));
    await page.getByRole('button', { name: 'Verifiëren en doorgaan' }).click();
    expect(await heading(page)).toBe('Bewaar je herstelcodes');
    await page.getByRole('button', { name: 'Ik heb ze bewaard, doorgaan' }).click();
    expect(await heading(page)).toBe('Verificatie in twee stappen staat aan');
    await page.getByRole('button', { name: 'Nu overslaan' }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole('button', { name: 'Afmelden', exact: true }).click();
    await page.getByText('Je bent afgemeld.').waitFor();

    await page.goto('/sign-in');
    await page.getByLabel('Gebruikersnaam of e-mailadres', { exact: true }).fill('noor');
    await page.getByLabel('Wachtwoord', { exact: true }).fill('noor password 1');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    expect(await heading(page)).toBe('Verificatie in twee stappen');
    // The next 30-second window's code (the server allows a step of clock drift): the one registration
    // used is spent.
    await page.getByLabel('Code uit je authenticator-app').fill(totpCode(seed, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verifiëren' }).click();
    await page.waitForURL(/\/account$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    await expect
      .poll(() => page.getByRole('button', { name: 'Afmelden', exact: true }).isVisible())
      .toBe(true);
    await context.close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('switches an English browser to Dutch with the switcher, and back', async () => {
    const { context, page } = await dutchTab('en-GB');
    await page.goto('/sign-in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    expect(await heading(page)).toBe('Aanmelden');
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    await page.reload();
    expect(await heading(page)).toBe('Aanmelden');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await heading(page)).toBe('Sign in');
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
