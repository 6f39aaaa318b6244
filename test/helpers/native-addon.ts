/**
 * The native addon for the suites that test it, or the reason they skip. A suite whose addon does
 * not load is skipped with the reason printed; under ACTIVE_RM_BACKEND=native (npm run test:native)
 * a missing addon is an error instead, so a broken build cannot pass as a skip.
 */
import type { Backend } from '../../lib/backends/interface.js';
import { loadNativeAddon, loadNativeBackend, type NativeAddon, type NativeInfo } from '../../lib/backends/native.js';

export interface NativeForTests {
  /** True when the suite should be skipped (the reason was printed). */
  skip: boolean;
  /** Valid unless skip. */
  backend: Backend;
  addon: NativeAddon;
  info: NativeInfo;
}

export function nativeForTests(suite: string): NativeForTests {
  const loaded = loadNativeBackend();
  if (!loaded.backend) {
    if (process.env.ACTIVE_RM_BACKEND === 'native') {
      throw new Error(`${suite}: ACTIVE_RM_BACKEND=native but the native addon did not load (${loaded.info.reason})`);
    }
    console.warn(`${suite} skipped: the native addon did not load (${loaded.info.reason})`);
  }
  return { skip: !loaded.backend, backend: loaded.backend as Backend, addon: loadNativeAddon() as NativeAddon, info: loaded.info };
}
