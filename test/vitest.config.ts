import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.spec.ts'],
    // End-to-end tests start real processes and servers; a shared 2-core CI machine needs room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a browser or a process shows; 1 s (vitest's default) is too short when CI's
    // two cores are busy, and a poll that succeeds returns at once, so a longer limit costs nothing.
    expect: { poll: { timeout: 10_000 } },
    // The JSON report lets .ci/run print a plain "N passed, N failed" line whatever happened.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-report.json' },
  },
});
