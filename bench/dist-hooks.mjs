// The resolve hook of use-dist.mjs (module hooks run off the main thread, so they live in a file of their own).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SRC = new URL('../src/', import.meta.url).href;
const DIST = new URL('../dist/', import.meta.url).href;

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (!r.url.startsWith(SRC) || !r.url.endsWith('.ts')) return r;
  const url = `${DIST}${r.url.slice(SRC.length, -3)}.js`;
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`bench: ${fileURLToPath(url)} is missing: run \`npm run build\` first`);
  }
  return { ...r, url, format: 'module' };
}
