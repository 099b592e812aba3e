// A small browser over Fastify's inject(): it keeps cookies, remembers the last page's CSRF token and
// fills it into form posts, as a real browser submitting the page's form would.

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class WebClient {
  readonly cookies = new Map<string, string>();
  last: LightMyRequestResponse | null = null;
  csrf: string | null = null;

  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '198.51.100.7',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private take(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    this.last = res;
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.take(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { cookie: this.cookieHeader(), 'user-agent': 'WebClient/1.0' },
        remoteAddress: this.ip,
      }),
    );
  }

  /** Posts a form; `_csrf` comes from the last page unless given. Repeated keys: pass arrays. */
  async post(url: string, fields: Record<string, string | string[]> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (!('_csrf' in fields) && this.csrf) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.take(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: {
          cookie: this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'WebClient/1.0',
        },
        remoteAddress: this.ip,
      }),
    );
  }

  /** Follows a 303/302 once (GET), as a browser does after a form post. */
  async follow(): Promise<LightMyRequestResponse> {
    const loc = this.last?.headers.location;
    if (!loc || typeof loc !== 'string') throw new Error(`no redirect (status ${this.last?.statusCode})`);
    return this.get(loc);
  }

  /** GET /sign-in, then post the form. */
  async signIn(username: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    return this.post('/sign-in', { username, password });
  }
}

/** The text of an HTML page without tags, whitespace collapsed: what a person reads. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
