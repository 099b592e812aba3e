// The admin API as a program calls it, over inject(): a bearer token (or none), a method, a path and
// an optional JSON body.

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** `app` is asked for at each call: suites build the app in beforeAll. */
export function apiCaller(app: () => FastifyInstance) {
  return (
    token: string | null,
    method: string,
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse> =>
    app().inject({
      method: method as 'GET',
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
}
