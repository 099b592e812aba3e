// Where a V8 CPU profile's time went, by the code it ran in: self time per package (node_modules/x),
// per file of ours (dist/… or src/…), Node's own code, the garbage collector, and idle. Used for the
// /auth/basic server (BENCH_HTTP_PROFILE, BENCHMARKS.md "The check path, session 8").
//
//   node --import tsx bench/profile-summary.ts file.cpuprofile [top]

import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts file.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** The bucket a function's own time counts in. */
function bucket(n: Node): string {
  const { functionName, url } = n.callFrame;
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return '(program: V8 and native code outside JS)';
  if (!url) return `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(dist|src)\/(.+)$/.exec(url);
  if (ours) return ours[2]!.replace(/\.(js|ts)$/, '');
  if (url.startsWith('node:')) return url;
  return url;
}

const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const b = bucket(byId.get(id)!);
  self.set(b, (self.get(b) ?? 0) + us);
  total += us;
});
const busy = total - (self.get('(idle)') ?? 0);
console.log(`${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s not idle`);
for (const [b, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  if (b === '(idle)') continue;
  console.log(`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${b}`);
}
