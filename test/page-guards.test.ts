// Every page route and the guards declared on it (src/http/pages/guards.ts). The app is built with an
// onRoute hook that sees each route as it is registered; a page route (one in the browser scope, which
// has `req.page`) without a guard fails here unless it is in PUBLIC below, with the reason it needs
// none. The table is written to docs/page-guards.md and kept in sync: a change of guards that is not in
// that file fails (LATCHKEY_WRITE_PAGE_GUARDS=1 rewrites it). Then the guards are shown to stop people:
// a visitor, a plain user on the staff pages, the helpdesk on the administrators' actions, and an
// administrator whose two-step check is older than 10 minutes, on every route that has each guard.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import { type Action, type Actor, can } from '../src/core/policy.js';
import { buildApp } from '../src/http/app.js';
import { guardName, stepName } from '../src/http/pages/guards.js';
import { InjectBrowser } from './helpers/inject-browser.js';
import { storeKinds, type TestStore } from './helpers/stores.js';

/**
 * Page routes with no guard, each for a reason. A route added without guards fails the suite until it
 * gets one or is listed here.
 */
const PUBLIC: Record<string, string> = {
  'GET /': 'sends a visitor to the sign-in page, a signed-in person to their account',
  'GET /help': 'help for people whose apps are refused: readable signed in or not',
  'POST /language': 'the language switcher of the sign-in page (CSRF-checked like every form)',
  'POST /sign-out': 'ends whatever session this browser holds (CSRF-checked)',
  // The sign-in steps: each checks its own sign-in flow (the lk_flow cookie), not a session.
  'GET /sign-in': 'the sign-in form',
  'POST /sign-in': 'the sign-in form',
  'GET /sign-in/new-password': 'step of a sign-in flow',
  'POST /sign-in/new-password': 'step of a sign-in flow',
  'GET /sign-in/verify': 'step of a sign-in flow',
  'POST /sign-in/verify': 'step of a sign-in flow',
  'GET /sign-in/register': 'step of a sign-in flow',
  'POST /sign-in/register': 'step of a sign-in flow',
  'GET /sign-in/recovery-codes': 'step of a sign-in flow',
  'POST /sign-in/recovery-codes': 'step of a sign-in flow',
  'GET /sign-in/app-password': 'step of a sign-in flow',
  'POST /sign-in/app-password': 'step of a sign-in flow',
  'POST /sign-in/done': 'step of a sign-in flow',
  // Still checked in its handler (sign-in.ts): to move to requireSession when that file is next changed.
  'GET /sign-in/continue': 'single sign-on return: without a session it sends to the sign-in page itself',
  'GET /oidc/interaction/:uid': "the OpenID Connect door's sign-in and consent: its own interaction checks",
  'POST /oidc/interaction/:uid': "the OpenID Connect door's sign-in and consent: its own interaction checks",
};

/** Guards a handler still applies itself, because they depend on what it finds. */
const IN_HANDLER: Record<string, string> = {
  'POST /device':
    'then `sudo` in the handler, once a pending request is found (to show the question, or to approve; denying needs none)',
};

/** Routes outside the browser scope: the JSON API, the check doors, OpenID Connect, static files… */
const OTHER_DOORS = [
  /^\/api\//,
  /^\/auth\//,
  /^\/oidc/,
  /^\/\.well-known\//,
  /^\/static\//,
  /^\/(healthz|readyz|metrics)$/,
  /^\/mail\/config-v1\.1\.xml$/,
  /^\/[Aa]utodiscover\/[Aa]utodiscover\.xml$/,
];

const DOC = join(import.meta.dirname, '..', 'docs', 'page-guards.md');
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery';

interface Row {
  method: string;
  url: string;
  guards: string[];
  /** Guards and the steps among them, in the order they run. */
  chain: string[];
}

const seen: { route: RouteOptions; page: boolean }[] = [];
let t: TestStore;
let core: Core;
let app: FastifyInstance;
let skew = 0;
let rows: Row[] = [];

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

async function signIn(username: string): Promise<InjectBrowser> {
  const b = new InjectBrowser(() => app);
  b.csrf = csrfOf((await b.get('/sign-in')).body);
  const r = await b.post('/sign-in', { username, password: PASSWORD });
  expect(r.statusCode, r.body).toBe(303);
  b.csrf = csrfOf((await b.get('/account')).body);
  return b;
}

/** A concrete address for a route: the user `alice`, made-up ids elsewhere. */
const concrete = (url: string) =>
  url.replace(':name', 'alice').replace(':id', 'no-such-id').replace(':clientId', 'no-such-app');

beforeAll(async () => {
  const [sqlite] = await storeKinds();
  t = await sqlite!.open();
  core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0, now: () => Date.now() + skew });
  app = buildApp({
    core,
    logLevel: 'silent',
    onRoute: (route, instance) => seen.push({ route, page: instance.hasRequestDecorator('page') }),
  });
  await app.ready();
  for (const [username, role] of [
    ['root', 'admin'],
    ['hd', 'helpdesk'],
    ['bob', 'user'],
    ['alice', 'user'],
  ] as const) {
    await core.users.createUser(system, { username, role, password: PASSWORD });
  }
  // What the actions on alice need to reach their sudo check: something to remove, reset or undo.
  await core.twoStep.setTwoStepState(system, 'alice', 'enabled');
  await core.appPasswords.createAppPassword(system, 'alice', { label: 'Phone' });
  // App passwords for every account, so the app-password pages open for root too (their sudo check).
  await core.settings.updateSettings(system, { requireAppPasswordsForNonBrowser: true });

  // Read after ready(): a route's pre-handlers then include those its group added (guardGroup).
  rows = seen
    .filter((x) => x.page)
    .flatMap(({ route }) => {
      const methods = [route.method].flat().filter((m) => m !== 'HEAD');
      const pre = route.preHandler === undefined ? [] : [route.preHandler].flat();
      const chain = pre.map((f) => guardName(f) ?? stepName(f) ?? '(unnamed)');
      const guards = pre.map(guardName).filter((g): g is string => g !== null);
      return methods.map((method) => ({ method, url: route.url, guards, chain }));
    })
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
});

afterAll(async () => {
  await app?.close();
  await core?.close();
  await t?.cleanup();
});

function table(): string {
  const line = (r: Row) => {
    const key = `${r.method} ${r.url}`;
    const what =
      r.chain.length > 0
        ? `${r.chain.map((c) => `\`${c}\``).join(' → ')}${IN_HANDLER[key] ? `, ${IN_HANDLER[key]}` : ''}`
        : `public: ${PUBLIC[key]}`;
    return `| ${r.method} | \`${r.url}\` | ${what} |`;
  };
  return `# Page guards

Every page route and the guards it runs, in order (generated by \`test/page-guards.test.ts\`; run it with
\`LATCHKEY_WRITE_PAGE_GUARDS=1\` after changing a route's guards). \`session\`: signed in, else the
sign-in page; \`staff\`: administrator or helpdesk, else 403; \`permission:…\`: the policy's \`can()\`
for that action (and the account it is about), else 403; \`sudo\`: a second step in the last 10 minutes,
else the check, which comes back; \`app-passwords\`: the person has app passwords to manage, else 404.
\`find:…\` finds what the route is about first (its "not found" comes before the sudo check) and
\`check:choice\` refuses a wrong or pointless choice (400, 409) before it. Routes without guards say why.
HEAD routes are those of GET, with the same guards.

| Method | Route | Guards |
| --- | --- | --- |
${rows.map(line).join('\n')}
`;
}

describe('the guard table', () => {
  it('has a guard on every page route, or a reason in the public list', () => {
    expect(rows.length).toBeGreaterThan(80);
    const bare = rows.filter((r) => r.guards.length === 0 && !(`${r.method} ${r.url}` in PUBLIC));
    expect(bare.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    // Nothing in the public list that is not a route, or that has guards after all.
    const keys = new Set(rows.filter((r) => r.guards.length === 0).map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(PUBLIC).filter((k) => !keys.has(k))).toEqual([]);
    const all = new Set(rows.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(IN_HANDLER).filter((k) => !all.has(k))).toEqual([]);
    // Every pre-handler among the guards is named, so the table shows the whole chain.
    expect(rows.filter((r) => r.chain.includes('(unnamed)')).map((r) => r.url)).toEqual([]);
  });

  it('has the sign-in guard first wherever there are guards, and staff on all of /admin', () => {
    for (const r of rows.filter((x) => x.guards.length > 0)) expect(r.guards[0], r.url).toBe('session');
    for (const r of rows.filter((x) => x.url.startsWith('/admin'))) {
      expect(r.guards.slice(0, 2), r.url).toEqual(['session', 'staff']);
    }
  });

  it('leaves no route outside the browser scope that is not one of the other doors', () => {
    const stray = seen
      .filter((x) => !x.page)
      .map((x) => x.route.url)
      .filter((url) => !OTHER_DOORS.some((re) => re.test(url)));
    expect(stray).toEqual([]);
  });

  it('is the table in docs/page-guards.md', () => {
    const now = table();
    if (process.env.LATCHKEY_WRITE_PAGE_GUARDS === '1') writeFileSync(DOC, now);
    expect(readFileSync(DOC, 'utf8'), 'run with LATCHKEY_WRITE_PAGE_GUARDS=1 to rewrite the table').toBe(now);
  });
});

describe('the guards stop people', () => {
  const gets = () => rows.filter((r) => r.method === 'GET' && !r.url.includes('/:uid'));

  it('sends a visitor to the sign-in page, coming back, from every page with the session guard', async () => {
    const visitor = new InjectBrowser(() => app);
    const guarded = gets().filter((r) => r.guards.includes('session'));
    expect(guarded.length).toBeGreaterThan(30);
    for (const r of guarded) {
      const url = concrete(r.url);
      const res = await visitor.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe(`/sign-in?return=${encodeURIComponent(url)}`);
    }
  });

  it('refuses a plain user every staff page, and changes nothing', async () => {
    const bob = await signIn('bob');
    const staffOnly = rows.filter((r) => r.guards.includes('staff'));
    for (const r of staffOnly) {
      const url = concrete(r.url);
      const res = r.method === 'GET' ? await bob.get(url) : await bob.post(url, {});
      expect(res.statusCode, `${r.method} ${url}`).toBe(403);
      expect(res.body).toContain('This page is for administrators');
    }
    expect((await core.users.getUser(system, 'alice')).status).toBe('active');
  });

  it("refuses the helpdesk the administrators' actions, on every route whose permission it lacks", async () => {
    const hd = await signIn('hd');
    const helpdesk: Actor = {
      kind: 'user',
      userId: 'someone-else',
      username: 'hd',
      role: 'helpdesk',
      ip: null,
    };
    const alice = await core.users.getUser(system, 'alice');
    const adminOnly = rows.filter((r) =>
      r.guards.some((g) => {
        if (!g.startsWith('permission:')) return false;
        const action = g.slice('permission:'.length) as Action;
        // Alice is a plain user: the helpdesk may help her, so only what it may do for nobody counts.
        return !can(helpdesk, action, alice.id, 'user');
      }),
    );
    expect(adminOnly.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/admin/settings', '/admin/tokens/new']),
    );
    for (const r of adminOnly) {
      const url = concrete(r.url);
      const res = r.method === 'GET' ? await hd.get(url) : await hd.post(url, {});
      expect(res.statusCode, `${r.method} ${url}`).toBe(403);
      expect(res.body).toContain('You are not allowed to do this');
    }
    expect((await core.settings.getSettings(system)).allowAppPasswords).toBe(true);
  });

  it('asks an administrator with a stale second step for a fresh one, on every sudo page', async () => {
    const root = await signIn('root');
    skew += 11 * 60_000;
    try {
      // Routes that find their target first answer "not found" for the made-up ids: those with a
      // real target here (the user alice, the pages without a parameter) reach their sudo check.
      const sudo = gets().filter(
        (r) =>
          r.guards.includes('sudo') &&
          (!r.url.includes('/:') || /^\/admin\/users\/:name\/[a-z-]+$/.test(r.url)),
      );
      expect(sudo.length).toBeGreaterThan(15);
      const choice: Record<string, string> = { role: '?role=helpdesk', 'two-step': '?state=enforced' };
      for (const r of sudo) {
        const url = concrete(r.url) + (choice[r.url.split('/').pop() ?? ''] ?? '');
        const res = await root.get(url);
        expect(res.statusCode, url).toBe(303);
        expect(res.headers.location, url).toBe('/account/verify');
      }
      // A POST is refused the same way before it changes anything.
      const r = await root.post('/admin/users/alice/disable');
      expect(r.headers.location).toBe('/account/verify');
      expect((await core.users.getUser(system, 'alice')).status).toBe('active');
    } finally {
      skew = 0;
    }
  });
});
