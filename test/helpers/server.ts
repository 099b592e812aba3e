// A real Latchkey for the real-peer tests: `latchkey serve` in this process on free ports over a fresh
// data dir, plus a second core on the same store that plays the operator at the command line.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { type Opened, openCore, serve } from '../../src/main.js';
import { freePort } from './nginx.js';
import { tempDir } from './stores.js';

export interface RunningLatchkey {
  dir: string;
  server: Awaited<ReturnType<typeof serve>>;
  operator: Opened;
  ldapPort: number;
  stop(): Promise<void>;
}

export async function startLatchkey(prefix: string): Promise<RunningLatchkey> {
  const dir = tempDir(prefix);
  const dataDir = join(dir, 'data');
  const ldapPort = await freePort();
  const server = await serve(
    loadConfig({ dataDir, httpPort: '0', ldapPort: String(ldapPort), logLevel: 'silent' }, {}),
    () => {},
  );
  const operator = await openCore(loadConfig({ dataDir }, {}), { flushIntervalMs: 0 });
  return {
    dir,
    server,
    operator,
    ldapPort,
    async stop() {
      await operator.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
