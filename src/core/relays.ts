// Relays: addresses that carry many people's attempts, so that counting failures per source there
// would lock everyone behind them out. Two kinds:
//
// - configured ones (LATCHKEY_TRUSTED_PROXIES: nginx without X-Forwarded-For, the mail server);
// - addresses a service account authenticated from in the last day (Nextcloud or Gitea checking its
//   users' logins over LDAP or /api/v1/verify). An app that proved itself with its 256-bit secret is
//   treated as the relay it is, without an operator having to know its address. Remembered in the store
//   (`service_sources`), so every node agrees within a second.
//
// A relay has no source counter and no source lock; its users' attempts still count per account.

import { BlockList } from 'node:net';
import type { Store } from '../store/database.js';
import { listServiceSources, pruneServiceSources, recordServiceSource } from '../store/services.js';
import { UNKNOWN_SOURCE } from './validate.js';

/** How long an address stays a relay after its service last authenticated from it. */
export const SERVICE_RELAY_MS = 86_400_000;
const REFRESH_MS = 1000;
const WRITE_EVERY_MS = 60_000;

export class RelaySet {
  private readonly configured: (ip: string) => boolean;
  private services = new Map<string, number>();
  private readAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;
  private readonly written = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    configured: readonly string[],
  ) {
    this.configured = relayMatcher(configured);
  }

  /** Whether attempts from `ip` (normalized) arrive through a relay. Synchronous: call fresh() first. */
  has(ip: string): boolean {
    if (ip === UNKNOWN_SOURCE) return false;
    if (this.configured(ip)) return true;
    const seen = this.services.get(ip);
    return seen !== undefined && seen > this.now() - SERVICE_RELAY_MS;
  }

  /** Reads the service addresses from the store at most once a second; no await when fresh. */
  fresh(): Promise<void> | null {
    if (this.now() - this.readAt < REFRESH_MS) return null;
    this.pending ??= listServiceSources(this.store.db, this.now() - SERVICE_RELAY_MS)
      .then((rows) => {
        const next = new Map<string, number>();
        for (const r of rows) next.set(r.ip, Number(r.last_at));
        // What this node noted since the read began stays.
        for (const [ip, at] of this.services) if ((next.get(ip) ?? 0) < at) next.set(ip, at);
        this.services = next;
        this.readAt = this.now();
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  /** A service authenticated from `ip`: a relay from now on, here at once and on other nodes soon. */
  async noteService(ip: string | null, serviceId: string): Promise<void> {
    if (ip === null || ip === UNKNOWN_SOURCE) return;
    const now = this.now();
    this.services.set(ip, now);
    if ((this.written.get(ip) ?? 0) > now - WRITE_EVERY_MS) return;
    this.written.set(ip, now);
    if (this.written.size > 10_000) this.written.clear();
    await recordServiceSource(this.store.db, ip, serviceId, now);
  }

  /** Housekeeping: forgets addresses no service has used for a day. */
  async prune(): Promise<void> {
    await pruneServiceSources(this.store.db, this.now() - SERVICE_RELAY_MS);
  }
}

function relayMatcher(relays: readonly string[]): (ip: string) => boolean {
  if (relays.length === 0) return () => false;
  const list = new BlockList();
  for (const r of relays) {
    const [addr, bits] = r.split('/');
    const type = addr!.includes(':') ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr!, type);
    else list.addSubnet(addr!, Number(bits), type);
  }
  // BlockList.check costs over a microsecond; the same few addresses ask again and again.
  const seen = new Map<string, boolean>();
  return (ip) => {
    const hit = seen.get(ip);
    if (hit !== undefined) return hit;
    const answer = check(ip);
    if (seen.size >= 10_000) seen.clear();
    seen.set(ip, answer);
    return answer;
  };
  function check(ip: string): boolean {
    const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    const addr = v4mapped ? v4mapped[1]! : ip;
    try {
      return list.check(addr, addr.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      return false;
    }
  }
}
