// GET /static/:file — the stylesheet, the few browser scripts and the favicon, from an allow-list read
// into memory at startup. A fixed list instead of a directory handler means no path from a URL ever
// reaches the file system, so there is nothing to traverse. Edits to these files need a restart.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * The global that @simplewebauthn/browser's UMD bundle defines (`window.SimpleWebAuthnBrowser`, with
 * startRegistration and startAuthentication). Our webauthn.js reads it; startup checks it is still there.
 */
export const WEBAUTHN_BROWSER_GLOBAL = 'SimpleWebAuthnBrowser';

// Two levels up is the package root both from src/http/static.ts (tsx, vitest) and from
// dist/http/static.js (the build), so the files are read from the source tree in either case.
const STATIC_DIR = fileURLToPath(new URL('../../src/http/static/', import.meta.url));

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
};

function asset(path: string): Asset {
  const body = readFileSync(path);
  const ext = path.slice(path.lastIndexOf('.') + 1);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, type: TYPES[ext] ?? 'application/octet-stream', etag: `"${hash}"` };
}

/**
 * The package's "exports" map hides package.json, so resolve its entry point and walk up to the
 * directory whose package.json names it: that is the package root, wherever npm put it.
 */
function webauthnBrowserBundle(): string {
  const name = '@simplewebauthn/browser';
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (dirname(dir) !== dir) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === name) {
      return join(dir, 'dist/bundle/index.umd.min.js');
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find the root of ${name}`);
}

/** The files, keyed by the exact name a URL may ask for. */
function loadStaticAssets(dir: string = STATIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of ['style.css', 'clipboard.js', 'favicon.svg']) assets.set(name, asset(join(dir, name)));
  // Written alongside the sign-in flow; until it exists there is nothing to serve.
  const webauthn = join(dir, 'webauthn.js');
  if (existsSync(webauthn)) assets.set('webauthn.js', asset(webauthn));

  const bundle = webauthnBrowserBundle();
  if (!existsSync(bundle)) throw new Error(`@simplewebauthn/browser bundle not found at ${bundle}`);
  const browser = asset(bundle);
  // A new major version could rename or drop the global; fail at startup, not in a person's browser.
  if (!browser.body.includes(`.${WEBAUTHN_BROWSER_GLOBAL}=`)) {
    throw new Error(`${bundle} no longer defines the global ${WEBAUTHN_BROWSER_GLOBAL}`);
  }
  assets.set('simplewebauthn-browser.js', browser);
  return assets;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x". */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

export function registerStatic(app: FastifyInstance): void {
  const assets = loadStaticAssets();
  app.get<{ Params: { file: string } }>('/static/:file', (req, reply) => {
    const a = assets.get(req.params.file);
    if (!a) return reply.callNotFound();
    reply
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=3600')
      .header('etag', a.etag);
    if (matches(req.headers['if-none-match'], a.etag)) return reply.code(304).send();
    return reply.type(a.type).send(a.body);
  });
}
