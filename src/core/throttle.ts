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

/**
 * How many argon2id checks the non-browser doors may run at once. argon2id runs on libuv's thread
 * pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), first come first served: a flood of
 * password checks arriving through a relay would queue every browser sign-in behind it. Mail and LDAP
 * checks take at most all but two of the threads; a browser sign-in never waits for a lane.
 */
export class HashLanes {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly lanes: number = Math.max(1, (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 2),
    /** Checks that may wait for a lane; beyond them an attempt is refused as throttled, not queued. */
    readonly maxWaiting = 256,
  ) {}

  /** The queue is as long as it may be: about a second of checks or more is already waiting. */
  full(): boolean {
    return this.waiting.length >= this.maxWaiting;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.lanes) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The lane goes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
