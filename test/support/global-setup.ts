import { execFileSync } from 'node:child_process';

/**
 * Tests that run the service as its own process (shutdown, the multi-process topology) start
 * the built app, so the run builds it once first, exactly as `npm start` does.
 */
export default function globalSetup(): void {
  execFileSync('npx', ['nest', 'build'], { stdio: 'inherit' });
}
