// Protection of this node's CPU from password hashing (issue 9, item 4). A refused secret repeated is
// answered from a short negative cache without argon2id (RefusalCache, in credential-cache.ts); and the
// argon2id checks one source may cause are rate-limited here, per node: a token bucket per source.
// Relays, which carry everyone's logins, have a larger budget (sign-in.ts).

export class SourceBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  /** `perSecond` checks per source, with a burst of twice that; 0 turns the limit off. */
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.burst = Math.max(1, perSecond * 2);
  }

  /** Takes one check from the source's budget: false when it is spent. */
  take(source: string): boolean {
    if (this.perSecond <= 0) return true;
    const now = this.now();
    const b = this.buckets.get(source);
    if (!b) {
      if (this.buckets.size >= 100_000) this.sweep(now);
      this.buckets.set(source, { tokens: this.burst - 1, at: now });
      return true;
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets full buckets (sources that have been quiet): they would start full anyway. */
  private sweep(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= 100_000) this.buckets.clear();
  }
}
