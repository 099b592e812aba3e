// The deployment files (issue 12, item 7): deploy/latchkey.service passes `systemd-analyze verify` and
// keeps its hardening (`systemd-analyze security --offline`), and the operator's wrapper is valid sh.
// systemd-analyze comes with Debian's systemd package; outside CI the test skips, saying so, when it
// is missing; in CI (CI=true) a missing systemd-analyze is a failure.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_OPTIONS } from '../bench/processes.js';
import { loadConfig } from '../src/config.js';
import { tempDir } from './helpers/stores.js';

const HAVE_ANALYZE = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
if (!HAVE_ANALYZE) {
  if (process.env.CI === 'true')
    throw new Error(
      'systemd-analyze is required in CI to check deploy/latchkey.service: apt-get install systemd',
    );
  console.warn(
    'systemd-analyze not found: skipping the checks of deploy/latchkey.service (apt-get install systemd).',
  );
}

const UNIT = readFileSync('deploy/latchkey.service', 'utf8');

/** The unit as installed here: its program paths point at this checkout and this Node, which exist. */
function localUnit(): { dir: string; path: string } {
  const dir = tempDir('latchkey-unit-');
  const path = join(dir, 'latchkey.service');
  writeFileSync(
    path,
    UNIT.replaceAll('/usr/local/bin/node', process.execPath).replaceAll('/opt/latchkey', process.cwd()),
  );
  return { dir, path };
}

function directive(name: string): string[] {
  return [...UNIT.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1]!.trim());
}

describe('deploy/latchkey.service', () => {
  it('has the hardening the install guide promises', () => {
    expect(directive('User')).toEqual(['latchkey']);
    expect(directive('Group')).toEqual(['latchkey']);
    expect(directive('StateDirectory')).toEqual(['latchkey']);
    expect(directive('StateDirectoryMode')).toEqual(['0700']);
    expect(directive('ProtectSystem')).toEqual(['strict']);
    expect(directive('NoNewPrivileges')).toEqual(['yes']);
    expect(directive('PrivateTmp')).toEqual(['yes']);
    expect(directive('ProtectHome')).toEqual(['yes']);
    // No capability at all unless the LDAP drop-in for ports below 1024 grants its one.
    expect(directive('CapabilityBoundingSet')).toEqual(['']);
    expect(directive('AmbientCapabilities')).toEqual(['']);
    expect(directive('Environment')).toContain('LATCHKEY_DATA_DIR=/var/lib/latchkey');
    expect(directive('ExecStart')).toEqual([
      `/usr/local/bin/node ${SERVE_NODE_OPTIONS.join(' ')} /opt/latchkey/dist/cli/main.js serve`,
    ]);
    // `npm start` (the README's command) runs the server with the same Node options, as does the bench.
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.start).toBe(
      `npm run build && node ${SERVE_NODE_OPTIONS.join(' ')} dist/cli/main.js serve`,
    );
    // systemd waits longer than Latchkey's own shutdown timeout plus the flush margin.
    const stopSec = Number(directive('TimeoutStopSec')[0]);
    expect(stopSec).toBeGreaterThanOrEqual(loadConfig({}, {}).shutdownTimeout + 10);
    expect(directive('KillSignal')).toEqual(['SIGTERM']);
  });

  it.skipIf(!HAVE_ANALYZE)('passes systemd-analyze verify', () => {
    expect(existsSync('dist/cli/main.js'), 'run npm run build first').toBe(true);
    const { dir, path } = localUnit();
    try {
      const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8', cwd: dir });
      // Other units on the machine may draw warnings; none may be about ours.
      const ours = r.stderr.split('\n').filter((l) => l.includes('latchkey.service'));
      expect(ours, r.stderr).toEqual([]);
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAVE_ANALYZE)('rates as well protected by systemd-analyze security', () => {
    const { dir, path } = localUnit();
    try {
      const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', path], {
        encoding: 'utf8',
        cwd: dir,
      });
      const level = /Overall exposure level for latchkey\.service: (\d+(?:\.\d+)?)/.exec(r.stdout);
      expect(level, `${r.stdout}${r.stderr}`).not.toBeNull();
      console.log(
        `systemd-analyze security: exposure ${level![1]} (0 = fully locked down, 10 = unprotected)`,
      );
      expect(Number(level![1])).toBeLessThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/latchkey (the operator command)', () => {
  it('is valid sh, runs the CLI as the service user with the service settings', () => {
    expect(spawnSync('sh', ['-n', 'deploy/latchkey']).status).toBe(0);
    const text = readFileSync('deploy/latchkey', 'utf8');
    expect(text).toContain('LATCHKEY_DATA_DIR=/var/lib/latchkey');
    expect(text).toContain('. /etc/latchkey/latchkey.env');
    expect(text).toMatch(
      /exec runuser -u latchkey -- \/usr\/local\/bin\/node \/opt\/latchkey\/dist\/cli\/main\.js "\$@"/,
    );
  });
});

describe('docs/install.md', () => {
  const doc = readFileSync('docs/install.md', 'utf8');
  it('installs the files that exist, and links guides that exist', () => {
    for (const f of ['deploy/latchkey.service', 'deploy/latchkey']) {
      expect(doc).toContain(`/opt/latchkey/${f}`);
      expect(existsSync(f)).toBe(true);
    }
    for (const m of doc.matchAll(/\]\(((?:\.\.\/)?[\w./-]+\.(?:md|service))(?:#[\w-]+)?\)/g)) {
      expect(existsSync(join('docs', m[1]!)), m[1]).toBe(true);
    }
    expect(doc).toMatch(/portal\.md#nginx/);
    expect(readFileSync('docs/portal.md', 'utf8')).toMatch(/^## nginx$/m);
  });
  it('only uses latchkey commands that exist', () => {
    const cli = readFileSync('src/cli/main.ts', 'utf8');
    for (const m of doc.matchAll(/^\s*latchkey ([a-z-]+)/gm)) {
      expect(cli, m[1]).toMatch(new RegExp(`\\.command\\('${m[1]}[ ')]`));
    }
  });
});
