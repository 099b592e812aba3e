// The floor of a check from memory, at different numbers of entries: HMAC-SHA-256 of 24 letters, one
// Map.get by the 32-byte key, and a write to the entry and to its user (two objects); then the lookup
// and the writes alone. The sizes are measured in turn, 200 ms each, 7 rounds, and the median printed:
// how far "flat from 1,000 to 1,000,000" can go when a table stops fitting the CPU's caches (issue 11,
// BENCHMARKS.md "The check path, session 6").
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
