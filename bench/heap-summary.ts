// Objects of a heap snapshot by constructor (or string kind): count and bytes, largest first. For the
// snapshots bench/heap.ts writes (HEAP_SNAPSHOT=…): divide by the draws to get objects per device.
//
//   node --import tsx bench/heap-summary.ts file.heapsnapshot [rows=30] [per=16384]
import { readFileSync } from 'node:fs';

const [file, rowsArg, perArg] = process.argv.slice(2);
const snap = JSON.parse(readFileSync(file!, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
};
const f = snap.snapshot.meta.node_fields;
const width = f.length;
const iType = f.indexOf('type');
const iName = f.indexOf('name');
const iSize = f.indexOf('self_size');
const types = snap.snapshot.meta.node_types[0];
const by = new Map<string, { n: number; bytes: number }>();
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + iType]!]!;
  const name =
    type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + iName]!]}` : type;
  const e = by.get(name) ?? { n: 0, bytes: 0 };
  e.n++;
  e.bytes += snap.nodes[i + iSize]!;
  by.set(name, e);
}
const per = Number(perArg ?? 0);
const rows = [...by].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(rowsArg ?? 30));
for (const [name, e] of rows) {
  const extra = per > 0 ? `  ${(e.n / per).toFixed(2)}/draw ${Math.round(e.bytes / per)} B/draw` : '';
  console.log(
    `${String(e.n).padStart(9)} ${String(Math.round(e.bytes / 1024)).padStart(9)} KiB  ${name}${extra}`,
  );
}
