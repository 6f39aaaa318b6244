/**
 * The shared HH-RLHF files (see ../shared/data/README.md): beside the checkout, as CI lays them out,
 * or where ACTIVE_RM_DATA_DIR points. Tests that use them fail (not skip) when they are missing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const candidates = [process.env.ACTIVE_RM_DATA_DIR, join(repo, '..', 'shared', 'data')].filter(
  (d): d is string => Boolean(d),
);

export const SHARED_DATA = candidates.find((d) => existsSync(join(d, 'hh-harmless-test.use512.responses.npy'))) ?? candidates[0]!;
export const HH_RESPONSES = join(SHARED_DATA, 'hh-harmless-test.use512.responses.npy');
