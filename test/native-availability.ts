/**
 * vitest globalSetup: says once, loudly, when the native addon does not load and the native suites
 * will therefore skip (each also names the reason in its title); with ACTIVE_RM_REQUIRE_NATIVE=1
 * (.ci/run) a missing addon fails the run instead.
 */
import { loadNativeBackend } from '../lib/backends/native.js';

export default function nativeAvailability(): void {
  const { info } = loadNativeBackend();
  if (info.available) return;
  if (process.env.ACTIVE_RM_REQUIRE_NATIVE === '1') {
    throw new Error(`ACTIVE_RM_REQUIRE_NATIVE=1 but the native addon does not load: ${info.reason}`);
  }
  console.warn(`\n*** active-rm: the native addon does not load, so the native test suites are SKIPPED: ${info.reason}\n`);
}
