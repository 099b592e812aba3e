// A browser over Fastify's inject() for the administration pages' route tests: its cookies, and the
// CSRF token of its session's forms, set by the test from the page it read. Also the check that a
// page has no inline script, handler or style attribute (the pages run under a strict CSP).

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export class InjectBrowser {
  readonly cookies = new Map<string, string>();
  csrf = '';

  /** `app` is asked for at each request: suites build the app in beforeAll. */
  constructor(private readonly app: () => FastifyInstance) {}

  private take(r: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of r.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return r;
  }

  private header(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return cookie ? { cookie } : {};
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.take(await this.app().inject({ method: 'GET', url, headers: this.header() }));
  }

  /** A form post; `csrf: null` leaves the token out, a string replaces it. */
  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    o: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const p = new URLSearchParams();
    const token = o.csrf === undefined ? this.csrf : o.csrf;
    if (token !== null) p.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) p.append(k, x);
    return this.take(
      await this.app().inject({
        method: 'POST',
        url,
        headers: { ...this.header(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: p.toString(),
      }),
    );
  }
}

/** No inline script, handler or style attribute: the pages run under a strict CSP. */
export function cspClean(body: string): void {
  expect(body).not.toMatch(/<style[\s>]/i);
  expect(body).not.toMatch(/<[a-z][^>]*\sstyle=/i);
  expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  expect(body).not.toMatch(/<script(?![^>]*\ssrc=)/i);
}
