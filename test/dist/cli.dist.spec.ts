import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The built admin CLI (dist/apps/cli), as an operator runs it on a fresh installation. */
const dataDir = mkdtempSync(join(tmpdir(), 'sandi-cli-'));
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'error' },
    input,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('admin CLI (built)', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates a fresh database', () => {
    const r = cli(['migrate']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('CoreSchema1763800000000');
    expect(r.out).toMatch(/Incidents/i);
  });

  it('creates the first admin with the password from stdin, refuses a weak one, and the chain verifies', () => {
    const ok = cli(['user:create', '-u', 'kabid', '-n', 'Kepala Bidang Persandian', '-e', 'kabid@example.go.id', '-r', 'admin', '--password-stdin'], 'Kuat#Persandian2026\n');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Created user kabid \(admin\)/);
    expect(ok.out + ok.err).not.toContain('Kuat#Persandian2026');

    const weak = cli(['user:create', '-u', 'lemah', '-n', 'Lemah', '-e', 'l@example.go.id', '-r', 'admin', '--password-stdin'], 'weak\n');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('password policy not met');

    const missing = cli(['user:create', '-u', 'x1', '-n', 'X', '-e', 'x@example.go.id', '-r', 'admin']);
    expect(missing.code).toBe(2);

    const verify = cli(['audit:verify']);
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/Audit chain intact: 1 events/);
  });
});
