// What every core function is given: the store, the server keys, a clock, the settings cache and the
// write-behind recorder of accepted checks. Built once by createCore().

import type { ServerKeys } from '../crypto/keys.js';
import type { Store } from '../store/database.js';
import type { CheckCache } from './check-cache.js';
import type { RelaySet } from './relays.js';
import { type Settings, settingsFromStored } from './settings.js';
import type { UsageRecorder } from './usage.js';

export interface CoreContext {
  readonly store: Store;
  readonly keys: ServerKeys;
  readonly now: () => number;
  readonly settings: SettingsCache;
  readonly usage: UsageRecorder;
  /** App passwords checked lately, kept true by the store's change feed (check-cache.ts). */
  readonly checks: CheckCache;
  /**
   * Addresses of relays (the mail server binding to LDAP for its users, a reverse proxy without
   * X-Forwarded-For): many people's failures arrive from them, so they have no source counter.
   */
  readonly isRelay: (ip: string) => boolean;
  /** The relays behind isRelay: configured ones and addresses services authenticate from (relays.ts). */
  readonly relays: RelaySet;
  /** Argon2id checks per second one source may cause on this node (0 = no limit). */
  readonly passwordChecksPerSource: number;
  /** The address people use (LATCHKEY_PUBLIC_URL): the WebAuthn relying party and origin. */
  readonly publicUrl: string;
}

/**
 * Settings read at most once a second per node; `invalidate()` after a change made here.
 *
 * The read goes through `store.prepare`, which on SQLite is the read-only connection: code inside a
 * transaction may ask for the settings without waiting on the connection its own transaction holds
 * (which would wait forever).
 */
export class SettingsCache {
  private value: Settings | null = null;
  private readAt = 0;
  private pending: Promise<Settings> | null = null;
  private readonly read: () => Promise<{ key: string; value: string }[]>;

  constructor(
    store: Store,
    private readonly now: () => number,
    private readonly maxAgeMs = 1000,
  ) {
    const run = store.prepare(store.db.selectFrom('settings').select(['key', 'value']), []);
    this.read = () => run([]);
  }

  /** The cached value when it is fresh (no await on the hot path), else null. */
  peek(): Settings | null {
    return this.value && this.now() - this.readAt < this.maxAgeMs ? this.value : null;
  }

  get(): Promise<Settings> {
    const fresh = this.peek();
    if (fresh) return Promise.resolve(fresh);
    this.pending ??= this.read()
      .then((rows) => {
        this.value = settingsFromStored(new Map(rows.map((r) => [r.key, r.value])));
        this.readAt = this.now();
        return this.value;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  invalidate(): void {
    this.value = null;
  }
}
