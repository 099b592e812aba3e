// Makes a bench measure what ships: every import of ../src/*.ts is answered with the compiled
// dist/*.js (`npm run bench` builds first). Under tsx alone the bench ran the TypeScript through
// esbuild with names kept, which wraps every inner function in a `__name(fn, "…")` call on each
// creation: 5 % of a primary-password repeat in a profile, a cost `latchkey serve` never pays.
// Register it after tsx: `node --import tsx --import ./bench/use-dist.mjs bench/run.ts`.
import { register } from 'node:module';

register('./dist-hooks.mjs', import.meta.url);
