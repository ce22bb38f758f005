import { execFileSync } from 'node:child_process';

/**
 * Tests that run the service as its own process (shutdown, the multi-process topology) start
 * the built app, so the run builds it once first, exactly as `npm start` does.
 * `ARCHIVE_TEST_SKIP_BUILD=1` skips it for a quick run of tests that start no process.
 */
export default function globalSetup(): void {
  if (process.env.ARCHIVE_TEST_SKIP_BUILD === '1') return;
  execFileSync('npx', ['nest', 'build'], { stdio: 'inherit' });
}
