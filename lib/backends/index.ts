/**
 * Backend choice: `backend` option, then the ACTIVE_RM_BACKEND environment variable (it only
 * replaces 'auto', so an explicit choice in code wins), then auto = cuda › native › js.
 * Native and CUDA are loaded once, on first use; a failure to load is recorded with its reason
 * and never thrown unless that backend was asked for by name.
 */
import type { Backend } from './interface.js';
import type { BackendChoice, BackendInfo, BackendName } from '../types.js';
import { loadCudaBackend } from './cuda.js';
import { jsBackend } from './js.js';
import { loadNativeBackend } from './native.js';

export const BACKEND_ENV = 'ACTIVE_RM_BACKEND';
const CHOICES: readonly BackendChoice[] = ['auto', 'js', 'native', 'cuda'];

type Loaded = { backend?: Backend; info: { available: boolean; reason?: string } };
let native: ReturnType<typeof loadNativeBackend> | undefined;
let cuda: ReturnType<typeof loadCudaBackend> | undefined;

function nativeLoaded(): ReturnType<typeof loadNativeBackend> {
  native ??= loadNativeBackend();
  return native;
}
function cudaLoaded(): ReturnType<typeof loadCudaBackend> {
  cuda ??= loadCudaBackend();
  return cuda;
}

export function parseBackendChoice(value: unknown, source: string): BackendChoice {
  if (value === undefined || value === '') return 'auto';
  if (typeof value !== 'string' || !(CHOICES as readonly string[]).includes(value)) {
    throw new TypeError(`${source} must be one of ${CHOICES.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as BackendChoice;
}

function effectiveChoice(choice: BackendChoice | undefined): BackendChoice {
  const requested = parseBackendChoice(choice, 'backend');
  if (requested !== 'auto') return requested;
  return parseBackendChoice(process.env[BACKEND_ENV], `environment variable ${BACKEND_ENV}`);
}

function backendOrThrow(name: BackendName, loaded: Loaded): Backend {
  if (loaded.backend) return loaded.backend;
  throw new Error(`the ${name} backend is not available: ${loaded.info.reason ?? 'unknown reason'} (use backend: 'auto' or 'js')`);
}

/** The backend a call will run on. Throws when a backend asked for by name cannot load. */
export function resolveBackend(choice?: BackendChoice): Backend {
  switch (effectiveChoice(choice)) {
    case 'js':
      return jsBackend;
    case 'native':
      return backendOrThrow('native', nativeLoaded());
    case 'cuda':
      return backendOrThrow('cuda', cudaLoaded());
    case 'auto':
      return cudaLoaded().backend ?? nativeLoaded().backend ?? jsBackend;
  }
}

/** What loaded, what `auto` (and the environment override) resolves to, and why others did not load. */
export function backendInfo(): BackendInfo {
  const n = nativeLoaded().info;
  const c = cudaLoaded().info;
  let active: BackendName;
  try {
    active = resolveBackend().name;
  } catch {
    active = 'js';
  }
  return { active, js: { available: true }, native: { ...n }, cuda: { ...c } };
}
