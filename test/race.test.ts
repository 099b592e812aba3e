// R6 across processes: two processes fire 50 creates each, at the same moment, for a user who holds
// 39 app passwords. Exactly one create succeeds and the user ends with exactly 40, on SQLite (two
// processes on one file) and on PostgreSQL (two processes, ten connections each).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { type StoreKind, storeKinds } from './helpers/stores.js';

const run = promisify(execFile);
const kinds: StoreKind[] = await storeKinds();
const admin: Actor = { kind: 'system', name: 'test', ip: null };

describe.each(kinds)('app-password limit across two processes on $name', (kind) => {
  (kind.available ? it : it.skip)('100 concurrent creates for a user with 39 leave exactly 40', async () => {
    const t = await kind.open();
    try {
      const core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
      await core.users.createUser(admin, { username: 'racer', password: 'racer password 1' });
      await core.twoStep.setTwoStepState(admin, 'racer', 'enforced');
      for (let i = 0; i < 39; i++)
        await core.appPasswords.createAppPassword(admin, 'racer', { label: `Device ${i}` });
      await core.close();

      const env = {
        ...process.env,
        LATCHKEY_DATA_DIR: t.dataDir,
        DATABASE_URL: t.databaseUrl ?? '',
        RACE_USER: 'racer',
        RACE_COUNT: '50',
        RACE_START_AT: String(Date.now() + 2500),
      };
      const child = () =>
        run(process.execPath, ['--import', 'tsx', 'test/fixtures/race-child.ts'], {
          env,
          timeout: 60_000,
        }).then((r) => JSON.parse(r.stdout.trim()) as { created: number; codes: Record<string, number> });
      const [a, b] = await Promise.all([child(), child()]);
      expect(a.created + b.created).toBe(1);
      expect({ ...a.codes }).toEqual(
        a.created === 1 ? { APP_PASSWORD_LIMIT: 49 } : { APP_PASSWORD_LIMIT: 50 },
      );
      expect({ ...b.codes }).toEqual(
        b.created === 1 ? { APP_PASSWORD_LIMIT: 49 } : { APP_PASSWORD_LIMIT: 50 },
      );

      const core2 = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
      expect(await core2.appPasswords.listAppPasswords(admin, 'racer')).toHaveLength(40);
      await core2.close();
    } finally {
      await t.cleanup();
    }
  });
});
