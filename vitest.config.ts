import { defineConfig } from 'vitest/config';

// Three tiers (docs/development.md#tests): `unit` needs nothing, `operations` PostgreSQL alone, `integration`
// every local service.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'operations',
          include: ['test/operations/**/*.test.ts'],
          environment: 'node',
          // Brings PostgreSQL up when it is not running (and stops it again afterwards); nothing else.
          globalSetup: ['test/helpers/postgres-setup.ts'],
          // Any connection but to PostgreSQL fails the test that makes it.
          setupFiles: ['test/helpers/only-postgres.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Brings the local services up when they are not running (and stops them again afterwards).
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
