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
  // IPv4 ranges as (network, mask) integers: a check is a parse and a few comparisons. The memo of
  // BlockList answers held 10,000 addresses, and a mail domain's clients are more than that: every
  // check paid for a SocketAddress (issue 11). IPv6 stays with BlockList, remembered.
  const v4: [number, number][] = [];
  const list = new BlockList();
  for (const r of relays) {
    const [addr, bits] = r.split('/');
    if (!addr!.includes(':')) {
      const n = ipv4ToInt(addr!);
      const len = bits === undefined ? 32 : Number(bits);
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      if (n !== null) v4.push([(n & mask) >>> 0, mask]);
      continue;
    }
    if (bits === undefined) list.addAddress(addr!, 'ipv6');
    else list.addSubnet(addr!, Number(bits), 'ipv6');
  }
  const seen = new Map<string, boolean>();
  return (ip) => {
    const mapped = ip.length <= 22 && ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    const n = ipv4ToInt(mapped);
    if (n !== null) {
      for (const [net, mask] of v4) if ((n & mask) >>> 0 === net) return true;
      return false;
    }
    if (!ip.includes(':')) return false;
    const hit = seen.get(ip);
    if (hit !== undefined) return hit;
    let answer = false;
    try {
      answer = list.check(ip, 'ipv6');
    } catch {
      answer = false;
    }
    if (seen.size >= 10_000) seen.clear();
    seen.set(ip, answer);
    return answer;
  };
}

/** Dotted-quad IPv4 as an unsigned integer, or null for anything else. */
export function ipv4ToInt(ip: string): number | null {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // No leading zeros ("010" is octal to some parsers) and nothing above 255.
      if (digits > 0 && part === 0) return null;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return n * 256 + part;
}
