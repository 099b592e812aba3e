// The primary password, for contrast: one argon2id check with the product's parameters
// (crypto/passwords.ts). @node-rs/argon2 runs on libuv's thread pool, so two checks in parallel use both
// cores of the reference machine.

import { hashPassword, verifyPassword } from '../src/crypto/passwords.js';

export interface Argon2Result {
  /** Median time of one check, alone. */
  msPerCheck: number;
  /** Checks per second with two running at a time. */
  parallel2PerSecond: number;
  failures: number;
}

export async function benchArgon2(opts: {
  sequentialChecks: number;
  parallelSeconds: number;
}): Promise<Argon2Result> {
  const password = 'correct horse battery staple';
  const stored = await hashPassword(password);
  let failures = 0;
  const check = async () => {
    if (!(await verifyPassword(stored, password))) failures++;
  };
  await check();

  const times: number[] = [];
  for (let i = 0; i < opts.sequentialChecks; i++) {
    const t = performance.now();
    await check();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);

  const end = performance.now() + opts.parallelSeconds * 1000;
  const start = performance.now();
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await check();
      done++;
    }
  };
  await Promise.all([worker(), worker()]);
  const elapsed = (performance.now() - start) / 1000;

  return {
    msPerCheck: times[Math.floor(times.length / 2)]!,
    parallel2PerSecond: done / elapsed,
    failures,
  };
}
