// Apps with access to an account (issue 10, items 3 and 6), against a real server on 127.0.0.1 and a real
// relying party library (openid-client), on SQLite and PostgreSQL: the portal's list and Remove (the
// app's access token inactive at introspection, its refresh token refused), the same from the admin
// user page for the helpdesk, who may act for plain users only, and every sign-in to an app (and a
// refused consent) in the sign-in log with the app's name. The person is a small cookie-keeping fetch
// loop that reads and submits the pages' forms.

import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import {
  Browser,
  type Client,
  clientConfig,
  codeGrant,
  csrfOf,
  type OidcServer,
  REDIRECT,
  startCodeFlow,
  startOidcServer,
  textOf,
} from './helpers/oidc.js';
import { type StoreKind, storeKinds } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

describe.each(kinds)('apps with access on $name', (kind) => {
  let server: OidcServer;
  let core: Core;
  let issuer = '';
  let grafana: Client;
  let wiki: Client;
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    server = await startOidcServer(kind);
    ({ core, issuer } = server);
    for (const [username, role] of [
      ['alice', 'user'],
      ['dave', 'user'],
      ['hd', 'helpdesk'],
      ['root', 'admin'],
    ] as const) {
      await core.users.createUser(system, {
        username,
        email: `${username}@example.org`,
        role,
        password: PASSWORD,
      });
    }
    grafana = await core.oidcClients.addClient(system, { name: 'grafana', redirectUris: [REDIRECT] });
    wiki = await core.oidcClients.addClient(system, {
      name: 'wiki',
      redirectUris: [REDIRECT],
      trusted: true,
    });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await server.stop();
  });

  async function signInToPortal(username: string): Promise<Browser> {
    const p = new Browser(issuer);
    const form = await p.go('/sign-in');
    const r = await p.signIn(form.page, username, PASSWORD);
    expect(r.status, r.page.slice(0, 300)).toBe(200);
    return p;
  }

  /**
   * The code flow with PKCE for `client`, as `person` (signed in to the portal already): the consent
   * page answered with `decision` when the app asks. Returns the tokens, or null when refused.
   */
  async function appSignIn(
    person: Browser,
    client: Client,
    decision: 'allow' | 'deny' = 'allow',
    o: { silent?: boolean } = {},
  ) {
    const config = await clientConfig(issuer, client);
    const flow = await startCodeFlow(
      config,
      person,
      // offline_access needs prompt=consent; a silent single sign-on asks for neither.
      o.silent
        ? { scope: 'openid profile' }
        : { scope: 'openid profile email offline_access', prompt: 'consent' },
    );
    let r = flow.first;
    if (o.silent) expect(r.callback, r.page.slice(0, 200)).not.toBeNull();
    if (!r.callback) {
      expect(r.page).toContain('wants to sign you in');
      r = await person.submit(r.page, '/oidc/interaction/', { decision });
    }
    expect(r.callback).not.toBeNull();
    if (r.callback!.searchParams.get('error')) return { config, tokens: null };
    return { config, tokens: await codeGrant(config, r.callback!, flow) };
  }

  test('the portal lists the app with what it may see; Remove → Yes → Close ends its tokens at once', async () => {
    const alice = await signInToPortal('alice');
    const g = await appSignIn(alice, grafana);
    const w = await appSignIn(alice, wiki);
    expect(await oidc.tokenIntrospection(g.config, g.tokens!.access_token)).toMatchObject({ active: true });

    const list = await alice.go('/account/apps');
    expect(list.status).toBe(200);
    const text = textOf(list.page);
    expect(text).toContain('Apps with access');
    expect(text).toContain('grafana');
    expect(text).toContain('Your email address');
    expect(text).toContain('Stays signed in after you close it');
    expect(text).toContain('wiki');
    expect(text).toContain('Your organization’s own app');
    expect(text).toContain('“Last used” is the last time the app signed you in');
    expect(list.page).toContain(`href="/account/apps/${grafana.clientId}/remove"`);
    // The nav entry, current.
    expect(list.page).toContain('<a href="/account/apps" aria-current="page">Apps with access</a>');
    const views = await core.oidcAccess.listAppAccess(system, (await core.users.getUser(system, 'alice')).id);
    expect(views.map((v) => v.name)).toEqual(['grafana', 'wiki']);
    expect(views[0]!.scopes).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expect(views[0]!.lastUsedAt).not.toBeNull();

    // Remove → the question → Yes → the answer with Close.
    const confirm = await alice.go(`/account/apps/${grafana.clientId}/remove`);
    expect(textOf(confirm.page)).toContain('Remove grafana’s access?');
    expect(textOf(confirm.page)).toContain('asks you again whether it may sign you in');
    const done = await alice.submit(confirm.page, `/account/apps/${grafana.clientId}/remove`);
    expect(done.status).toBe(200);
    expect(textOf(done.page)).toContain('grafana no longer has access');
    expect(done.page).toContain('href="/account/apps"');

    // At once: the access token is inactive and the refresh token refused.
    expect(await oidc.tokenIntrospection(g.config, g.tokens!.access_token)).toMatchObject({ active: false });
    await expect(oidc.refreshTokenGrant(g.config, g.tokens!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // The other app keeps its access, and the portal session stays.
    expect(await oidc.tokenIntrospection(w.config, w.tokens!.access_token)).toMatchObject({ active: true });
    const after = await alice.go('/account/apps');
    expect(after.page).not.toContain(grafana.clientId);
    expect(after.page).toContain(wiki.clientId);

    const audit = (await core.audit.listAudit(system, { target: 'alice', limit: 1 }))[0];
    expect(audit).toMatchObject({ action: 'oidc_access.revoked', actor: 'user:alice' });
    expect(audit!.details).toMatchObject({ clientId: grafana.clientId, app: 'grafana' });

    // Removing it again finds nothing, says so, and changes nothing.
    const again = await alice.go(`/account/apps/${grafana.clientId}/remove`);
    expect(again.page).toContain('Apps with access');
    const gone = await alice.go(`/account/apps/${grafana.clientId}/remove`, { _csrf: csrfOf(list.page) });
    expect(gone.status).toBe(404);
    expect(gone.page).toContain('Nothing was changed');

    // The app asks again next time: its consent page, not a silent sign-in.
    const back = await appSignIn(alice, grafana);
    expect(back.tokens).not.toBeNull();
  });

  test('every sign-in to an app is in the log with its name, single sign-on included; a Cancel too', async () => {
    const dave = await signInToPortal('dave');
    await appSignIn(dave, wiki);
    await appSignIn(dave, grafana, 'deny');
    const daveId = (await core.users.getUser(system, 'dave')).id;
    const events = await core.signInLog.listSignIns(system, { username: 'dave', door: 'oidc' });
    expect(events.map((e) => [e.clientName, e.result, e.reason])).toEqual([
      ['grafana', 'refused', 'consent_refused'],
      ['wiki', 'accepted', null],
    ]);
    expect(events[1]).toMatchObject({
      door: 'oidc',
      clientId: wiki.clientId,
      appPasswordLabel: null,
      credential: 'password',
      ip: '127.0.0.1',
    });
    // Signed in to the portal already, wiki signs dave in without a page: still its own event.
    const silent = await appSignIn(dave, wiki, 'allow', { silent: true });
    expect(silent.tokens).not.toBeNull();
    expect(await core.signInLog.listSignIns(system, { username: 'dave', door: 'oidc' })).toHaveLength(3);

    const own = textOf((await dave.go('/account/sign-ins')).page);
    expect(own).toContain('Signed in to wiki (OpenID Connect).');
    expect(own).toContain(
      'grafana (OpenID Connect) asked to sign you in; you chose Cancel, so it got nothing.',
    );

    const root = await signInToPortal('root');
    const log = await root.go('/admin/sign-ins?door=oidc');
    expect(log.status).toBe(200);
    const logText = textOf(log.page);
    expect(logText).toContain('Signed in to wiki (OpenID Connect)');
    expect(logText).toContain('Signing in to grafana (OpenID Connect)');
    expect(logText).toContain('The person chose Cancel');
    expect(log.page).toContain('<option value="oidc" selected>App sign-in (OpenID Connect)</option>');
    const userPage = textOf((await root.go('/admin/users/dave')).page);
    expect(userPage).toContain('grafana (OpenID Connect) asked to sign them in; they chose Cancel');
    const csv = await (
      await fetch(`${issuer}/admin/sign-ins.csv?door=oidc&user=dave`, {
        headers: { cookie: root.cookieHeader() },
      })
    ).text();
    expect(csv.split('\r\n')[0]).toMatch(/,clientName$/);
    expect(csv).toContain('"wiki"');
    // "Last used" for wiki is per person: dave's sign-ins, not alice's.
    const wikiView = (await core.oidcAccess.listAppAccess(system, daveId)).find((v) => v.name === 'wiki');
    expect(wikiView?.lastUsedAt).not.toBeNull();
  });

  test('the helpdesk removes a plain user’s app from the user page, and may not for staff', async () => {
    const dave = await signInToPortal('dave');
    const g = await appSignIn(dave, grafana);
    const hd = await signInToPortal('hd');
    const page = await hd.go('/admin/users/dave');
    const text = textOf(page.page);
    expect(text).toContain('Apps with access');
    expect(text).toContain('Their email address');
    const href = `/admin/users/dave/apps/${grafana.clientId}/remove`;
    expect(page.page).toContain(`href="${href}"`);
    const confirm = await hd.go(href);
    expect(textOf(confirm.page)).toContain('Remove grafana’s access to dave’s account?');
    const done = await hd.submit(confirm.page, href);
    expect(done.status).toBe(200);
    expect(hd.last).toBe('/admin/users/dave?done=app-removed&app=grafana');
    expect(textOf(done.page)).toContain('grafana no longer has access to dave');
    expect(await oidc.tokenIntrospection(g.config, g.tokens!.access_token)).toMatchObject({ active: false });
    await expect(oidc.refreshTokenGrant(g.config, g.tokens!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await core.audit.listAudit(system, { target: 'dave', limit: 1 }))[0]).toMatchObject({
      action: 'oidc_access.revoked',
      actor: 'user:hd',
    });

    // An administrator's apps: the helpdesk sees them, without Remove, and is refused if it posts.
    const root = await signInToPortal('root');
    await appSignIn(root, grafana);
    const rootPage = await hd.go('/admin/users/root');
    expect(textOf(rootPage.page)).toContain('grafana');
    expect(rootPage.page).not.toContain(`/admin/users/root/apps/${grafana.clientId}/remove`);
    const refused = await hd.go(`/admin/users/root/apps/${grafana.clientId}/remove`, {
      _csrf: csrfOf(rootPage.page),
    });
    expect(refused.status).toBe(403);
    const rootId = (await core.users.getUser(system, 'root')).id;
    expect(await core.oidcAccess.listAppAccess(system, rootId)).toHaveLength(1);

    // The core says the same to every door: a plain user may not touch another person's apps, the
    // helpdesk may not touch staff's.
    const daveUser = await core.users.getUser(system, 'dave');
    const asDave: Actor = { kind: 'user', userId: daveUser.id, username: 'dave', role: 'user', ip: null };
    const hdUser = await core.users.getUser(system, 'hd');
    const asHd: Actor = { kind: 'user', userId: hdUser.id, username: 'hd', role: 'helpdesk', ip: null };
    await expect(core.oidcAccess.listAppAccess(asDave, rootId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.oidcAccess.revokeAppAccess(asDave, rootId, grafana.clientId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(core.oidcAccess.revokeAppAccess(asHd, rootId, grafana.clientId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(core.oidcAccess.revokeAppAccess(system, rootId, 'lkc_nothing')).rejects.toMatchObject({
      code: 'APP_ACCESS_NOT_FOUND',
    });
    expect(await core.oidcAccess.listAppAccess(system, rootId)).toHaveLength(1);
  });
});
