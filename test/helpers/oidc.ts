// What the OpenID Connect tests share: a real Latchkey on 127.0.0.1 whose public URL is the issuer, a
// small cookie-keeping fetch loop that plays the person (follows redirects, reads and submits the pages'
// forms as a browser would, stops at the app's callback), and openid-client's code flow with PKCE.

import type { FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import { type Core, createCore } from '../../src/core/index.js';
import { buildApp } from '../../src/http/app.js';
import { freePort } from './nginx.js';
import type { StoreKind, TestStore } from './stores.js';

/** The apps' redirect URI: nothing listens there, the browser stops when it is sent there. */
export const REDIRECT = 'http://127.0.0.1:9/callback';

export type Client = { clientId: string; clientSecret: string | null };
export type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

export const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

/** The visible text of a page, for sentences that cross tags. */
export const textOf = (page: string) =>
  page
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** Where a browser ended: a page (its HTML, '' at the callback) or the app's callback (its URL). */
export interface Visit {
  page: string;
  status: number;
  callback: URL | null;
  /** The last response's headers. */
  headers?: Headers;
}

/** A browser: keeps cookies by name, follows redirects on this server, stops at the app's callback. */
export class Browser {
  /** The cookie jar, by name and path, as a browser keeps it (the provider scopes some to one path). */
  private readonly jar = new Map<string, { name: string; value: string; path: string }>();
  /** The path of every page and redirect on the way, in order. */
  pages: string[] = [];
  /** The path and query of the last page shown. */
  last = '';
  constructor(private readonly base: string) {}

  /** The Cookie header this browser sends to `path`: the cookies whose path covers it. */
  cookieHeader(path = '/'): string {
    return [...this.jar.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private async request(url: string, form?: Record<string, string>): Promise<Response> {
    const target = new URL(url, this.base);
    const res = await fetch(target, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(target.pathname),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const path = attrs.map((a) => /^\s*path=(.*)$/i.exec(a)?.[1]?.trim()).find(Boolean) ?? '/';
      const gone =
        value === '' ||
        attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (gone) this.jar.delete(`${name}|${path}`);
      else this.jar.set(`${name}|${path}`, { name, value, path });
    }
    return res;
  }

  /** Opens `url` (posts `form` when given) and follows redirects until a page or the app's callback. */
  async go(url: string, form?: Record<string, string>): Promise<Visit> {
    let res = await this.request(url, form);
    let at = new URL(url, this.base);
    for (let hops = 0; hops < 20; hops++) {
      const loc = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !loc) {
        this.pages.push(at.pathname);
        this.last = at.pathname + at.search;
        return { page: await res.text(), status: res.status, callback: null, headers: res.headers };
      }
      at = new URL(loc, at);
      if (at.href.startsWith(REDIRECT)) return { page: '', status: res.status, callback: at };
      this.pages.push(at.pathname);
      res = await this.request(at.href);
    }
    throw new Error('too many redirects');
  }

  /** Submits the form of `page` whose action contains `action`, with its CSRF token and `fields`. */
  submit(page: string, action: string, fields: Record<string, string> = {}): Promise<Visit> {
    const m = [...page.matchAll(/<form method="post" action="([^"]*)"/g)].find((x) =>
      x[1]!.replace(/&amp;/g, '&').includes(action),
    );
    if (!m) throw new Error(`no form posting to ${action}`);
    return this.go(m[1]!.replace(/&amp;/g, '&'), { _csrf: csrfOf(page), ...fields });
  }

  /** Fills in the sign-in form on `page` and posts it where the form says (with its ?return=). */
  signIn(page: string, username: string, password: string): Promise<Visit> {
    return this.submit(page, '/sign-in', { username, password });
  }
}

/** A Latchkey listening on 127.0.0.1 with its public URL, the issuer, on that exact origin. */
export interface OidcServer {
  t: TestStore;
  core: Core;
  app: FastifyInstance;
  port: number;
  issuer: string;
  stop(): Promise<void>;
}

/**
 * Starts Latchkey on `kind`'s store. The port is chosen first, because the public URL (the issuer) is
 * part of the core. `now` is the server's clock; `oidcKeysPollMs` how often it looks for new keys.
 */
export async function startOidcServer(
  kind: StoreKind,
  o: {
    now?: () => number;
    oidcKeysPollMs?: number;
    logLevel?: string;
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<OidcServer> {
  const t = await kind.open();
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const core = await createCore({
    store: t.store,
    keys: t.keys,
    flushIntervalMs: 0,
    publicUrl: issuer,
    now: o.now,
  });
  const app = buildApp({
    core,
    logLevel: o.logLevel ?? 'silent',
    logStream: o.logStream,
    oidcKeysPollMs: o.oidcKeysPollMs,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    t,
    core,
    app,
    port,
    issuer,
    async stop() {
      await app.close();
      await core.close();
      await t.cleanup();
    },
  };
}

/** The relying party's view of the issuer, for a client registered with REDIRECT. */
export function clientConfig(issuer: string, client: Client): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    client.clientId,
    client.clientSecret ?? undefined,
    client.clientSecret ? undefined : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/** A code flow begun: where the browser ended, and what the app keeps for the code grant. */
export interface CodeFlow {
  first: Visit;
  verifier: string;
  state: string;
}

/** Sends `browser` to the authorization endpoint with PKCE, a state and `params` (scope, prompt…). */
export async function startCodeFlow(
  config: oidc.Configuration,
  browser: Browser,
  params: Record<string, string>,
): Promise<CodeFlow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  return { first: await browser.go(url.href), verifier, state };
}

/** The app's code grant for the callback of `flow`, checking its state and PKCE verifier. */
export function codeGrant(config: oidc.Configuration, callback: URL, flow: CodeFlow): Promise<Tokens> {
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
  });
}

/**
 * Signs `username` in with their password (a person without two-step verification) through the
 * client's code flow with PKCE, and returns the tokens.
 */
export async function tokensFor(
  config: oidc.Configuration,
  issuer: string,
  username: string,
  password: string,
  scope = 'openid profile email',
): Promise<Tokens> {
  const browser = new Browser(issuer);
  const flow = await startCodeFlow(config, browser, { scope });
  if (!flow.first.page) throw new Error('no sign-in page');
  const done = await browser.signIn(flow.first.page, username, password);
  if (!done.callback) throw new Error(`the sign-in did not come back: ${done.page.slice(0, 300)}`);
  return codeGrant(config, done.callback, flow);
}
