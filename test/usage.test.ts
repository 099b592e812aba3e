// The write-behind of accepted checks (core/usage.ts) against real stores: what the sign-in log holds
// after devices check again and again across minutes is exactly what they did, one row per credential,
// door, source and minute; and the sort that puts a minute's rows in index order before they are
// written (issue 11) orders like Array.sort without holding the event loop.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { sortInSlices } from '../src/core/usage.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const admin: Actor = { kind: 'system', name: 'test', ip: null };

describe('sortInSlices', () => {
  it('orders like Array.sort, stably, at every size around its runs', async () => {
    for (const n of [0, 1, 2, 2047, 2048, 2049, 4096, 5000, 20_000]) {
      const items = Array.from({ length: n }, (_, i) => ({
        key: Math.floor(Math.random() * (n / 3 + 1)),
        i,
      }));
      const want = [...items].sort((a, b) => a.key - b.key || a.i - b.i);
      const got = await sortInSlices(items, (a, b) => a.key < b.key);
      expect(got.map((x) => x.i)).toEqual(want.map((x) => x.i));
    }
  });

  it('lets other work run while it sorts a large array', async () => {
    const items = Array.from({ length: 100_000 }, () => Math.random().toString(36));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sorting = sortInSlices(items, (a, b) => a < b);
    await new Promise((r) => setImmediate(r));
    const got = await sorting;
    clearInterval(timer);
    expect(got).toEqual([...items].sort());
    expect(ticks).toBeGreaterThan(0);
  });
});

describe.each(kinds)('the write-behind on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  let clock = Date.UTC(2026, 10, 29, 12, 0, 0);
  const now = () => clock;
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, now, flushIntervalMs: 0 });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });

  test('counts every accepted check of many devices over three minutes, one row per device and minute', async () => {
    const devices: { username: string; secret: string; ip: string }[] = [];
    for (let u = 0; u < 6; u++) {
      const username = `dev${u}`;
      await core.users.createUser(admin, { username, password: 'correct horse battery staple' });
      await core.twoStep.setTwoStepState(admin, username, 'enabled');
      for (let d = 0; d < 3; d++) {
        const ap = await core.appPasswords.createAppPassword(admin, username, { label: `device ${d}` });
        devices.push({ username, secret: ap.password, ip: `198.51.100.${u * 3 + d + 1}` });
      }
    }
    const start = clock;
    const expected = new Map<string, number>();
    // Three minutes; in each, every device checks a different number of times, and the once-a-second
    // flush runs in between (new devices written at once, minutes that are over at their end).
    for (let minute = 0; minute < 3; minute++) {
      for (let second = 0; second < 60; second += 7) {
        clock = start + minute * 60_000 + second * 1000;
        for (const [i, d] of devices.entries()) {
          if ((i + second + minute) % 3 === 0) continue;
          const r = await core.signIn({ username: d.username, secret: d.secret, door: 'imap', ip: d.ip });
          expect(r.ok).toBe(true);
          const k = `${d.ip}|${minute}`;
          expected.set(k, (expected.get(k) ?? 0) + 1);
        }
        await core.ctx.usage.flush(false);
      }
    }
    clock = start + 3 * 60_000 + 1000;
    await core.ctx.usage.flush(false);
    const rows = await t.store.db
      .selectFrom('sign_in_events')
      .select(['ip', 'at', 'count', 'result'])
      .where('result', '=', 'accepted')
      .where('at', '>=', start)
      .execute();
    const got = new Map<string, number>();
    for (const r of rows) {
      const k = `${r.ip}|${Math.floor((Number(r.at) - start) / 60_000)}`;
      expect(got.has(k)).toBe(false);
      got.set(k, Number(r.count));
    }
    expect(got).toEqual(expected);
    expect(core.ctx.usage.dropped).toBe(0);
  });
});
