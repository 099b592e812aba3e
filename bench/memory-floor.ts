// The floor of a check from memory, at different numbers of entries: HMAC-SHA-256 of 24 letters, one
// Map.get by the 32-byte key, and a write to the entry and to its user (two objects); then the lookup
// and the writes alone. The sizes are measured in turn, 200 ms each, 7 rounds, and the median printed:
// how far "flat from 1,000 to 1,000,000" can go when a table stops fitting the CPU's caches (issue 11,
// BENCHMARKS.md "The check path, session 6"). Then the same check on a compact layout (session 8): an
// open-addressing table of entry numbers, the digests in one byte array and the counters in typed
// arrays, no object per entry: what the floor would be if the check cache were laid out that way.
//
//   npx node --import tsx bench/memory-floor.ts
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';

const key = createSecretKey(randomBytes(32));
const sizes = [1_000, 40_000, 100_000, 1_000_000, 4_000_000];
const sets = sizes.map((n) => {
  const m = new Map<string, { user: { id: number; n: number }; hits: number }>();
  const letters: string[] = [];
  for (let i = 0; i < n; i++) {
    const l = randomBytes(18).toString('base64url').slice(0, 24);
    letters.push(l);
    m.set(createHmac('sha256', key).update(l).digest().toString('latin1'), {
      user: { id: i, n: 0 },
      hits: 0,
    });
  }
  const draws = Array.from({ length: 131072 }, () => letters[Math.floor(Math.random() * n)]!);
  return { n, m, draws };
});
const time = (s: (typeof sets)[number], hmac: boolean) => {
  const t0 = performance.now();
  let ops = 0;
  while (performance.now() - t0 < 200) {
    for (let k = 0; k < 1024; k++) {
      const l = s.draws[ops++ & 131071]!;
      const h = hmac ? createHmac('sha256', key).update(l).digest().toString('latin1') : l;
      const e = s.m.get(h);
      if (e) {
        e.hits++;
        e.user.n++;
      }
    }
  }
  return ((performance.now() - t0) * 1000) / ops;
};
const r = sets.map(() => [] as number[]);
for (let round = 0; round < 7; round++) {
  for (const [i, s] of sets.entries()) r[i]!.push(time(s, true));
}
for (const [i, s] of sets.entries()) {
  const v = r[i]!.sort((a, b) => a - b)[3]!;
  console.log(`${s.n.toLocaleString('en')} entries: ${v.toFixed(2)} µs (HMAC + get + touch)`);
}
// The lookup and the writes alone: the keys hashed beforehand.
const pre = sets.map((s) => ({
  ...s,
  draws: s.draws.map((l) => createHmac('sha256', key).update(l).digest().toString('latin1')),
}));
const r2 = pre.map(() => [] as number[]);
for (let round = 0; round < 7; round++) {
  for (const [i, s] of pre.entries()) r2[i]!.push(time(s, false));
}
pre.forEach((s, i) => {
  const v = r2[i]!.sort((a, b) => a - b)[3]!;
  console.log(`${s.n.toLocaleString('en')} entries: ${(v * 1000).toFixed(0)} ns (get + touch only)`);
});

// The compact layout: slot → entry number (Int32Array, load ≤ 0.5), the entry's digest in one byte
// array, its counter and its user's counter in Float64Arrays. A lookup reads a slot, 32 bytes of
// digest, and writes two counters: three or four cache lines, where the Map and its objects touch more.
const compact = sets.map((s) => {
  let cap = 1;
  while (cap < s.n * 2) cap *= 2;
  const slots = new Int32Array(cap).fill(-1);
  const digests = Buffer.alloc(s.n * 32);
  const hits = new Float64Array(s.n);
  const users = new Float64Array(s.n);
  const userOf = new Int32Array(s.n);
  const digestsOf = new Map<string, number>();
  for (const [i, k] of [...s.m.keys()].entries()) {
    const d = Buffer.from(k, 'latin1');
    d.copy(digests, i * 32);
    let h = d.readUInt32LE(0) & (cap - 1);
    while (slots[h]! >= 0) h = (h + 1) & (cap - 1);
    slots[h] = i;
    userOf[i] = Math.floor(Math.random() * s.n);
    digestsOf.set(k, i);
  }
  return { ...s, cap, slots, digests, hits, users, userOf };
});
const timeCompact = (c: (typeof compact)[number]) => {
  const t0 = performance.now();
  let ops = 0;
  const mask = c.cap - 1;
  while (performance.now() - t0 < 200) {
    for (let k = 0; k < 1024; k++) {
      const d = createHmac('sha256', key)
        .update(c.draws[ops++ & 131071]!)
        .digest();
      for (let h = d.readUInt32LE(0) & mask; ; h = (h + 1) & mask) {
        const i = c.slots[h]!;
        if (i < 0) break;
        if (c.digests.compare(d, 0, 32, i * 32, i * 32 + 32) === 0) {
          c.hits[i]!++;
          c.users[c.userOf[i]!]!++;
          break;
        }
      }
    }
  }
  return ((performance.now() - t0) * 1000) / ops;
};
const r3 = compact.map(() => [] as number[]);
for (let round = 0; round < 7; round++) {
  for (const [i, c] of compact.entries()) r3[i]!.push(timeCompact(c));
}
compact.forEach((c, i) => {
  const v = r3[i]!.sort((a, b) => a - b)[3]!;
  const best = r3[0]![3]!;
  console.log(
    `${c.n.toLocaleString('en')} entries: ${v.toFixed(2)} µs (HMAC + compact lookup + touch, ${((best / v) * 100).toFixed(0)} % of 1,000)`,
  );
});
