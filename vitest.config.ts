import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e suites spawn the built bin; keep parallelism modest on 2-core CI machines
    maxWorkers: 2,
    // Ink draws only the final frame when it believes it runs in CI; the TUI
    // tests read frames as they are drawn, as a person at a terminal sees them.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
