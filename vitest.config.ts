import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Unit, integration and e2e suites. Decorator metadata (Nest DI, TypeORM) needs SWC, not esbuild. */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' }, jsc: { target: 'es2022' } })],
  resolve: {
    alias: {
      '@sandi/core': here('./libs/core/src/index.ts'),
      '@sandi/incidents': here('./libs/incidents/src/index.ts'),
      '@sandi/certificates': here('./libs/certificates/src/index.ts'),
      '@sandi/testing': here('./test/support/index.ts'),
    },
  },
  test: {
    include: [
      'libs/**/*.spec.ts',
      'apps/api/**/*.spec.ts',
      'apps/cli/**/*.spec.ts',
      'test/integration/**/*.spec.ts',
      'test/e2e/**/*.spec.ts',
    ],
    exclude: ['**/node_modules/**', 'dist/**', 'test/browser/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: [here('./test/support/global-setup.ts')],
    reporters: ['default', here('./test/support/summary-reporter.ts')],
    env: { NODE_ENV: 'test' },
  },
});
