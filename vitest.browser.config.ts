import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Tests of the built artefacts: browser journeys (the server from dist/ in a child process, driven
 * through Debian's chromium) and the built admin CLI.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.spec.ts', 'test/dist/**/*.dist.spec.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Pages render after network round trips; on a loaded 2-core machine that can take seconds.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: ['default', here('./test/support/summary-reporter.ts')],
  },
});
