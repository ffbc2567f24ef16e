// The go command as the repo's scripts use it: to build the GCS and Pub/Sub emulators and to
// fetch schemas published in Go modules (KEDA's CRDs, the Compose specification), all from the
// Go module proxy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandExists, run } from './process.mjs';

/**
 * The go command. The emulators need Go 1.26; a go from 1.21 on fetches that toolchain from the
 * Go module proxy by itself (GOTOOLCHAIN=auto), an older one cannot.
 * @param {string} purpose what go is needed for, for the message when it is missing
 * @param {string} [alternative] what to do instead of installing it
 */
export function goCommand(purpose, alternative) {
  const go = process.env.LAKERUNNER_DEV_GO || 'go';
  const advice =
    `Go 1.21 or newer (go) is needed to ${purpose}; install it (Debian: apt-get install ` +
    `golang-go, where recent enough)${alternative ? ` or ${alternative}` : ''}.`;
  if (!commandExists(go)) throw new Error(advice);
  const version = run(go, ['env', 'GOVERSION'], { env: goEnv() }).trim();
  const [major, minor] = (/^go(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  if (!(major > 1 || (major === 1 && minor >= 21)))
    throw new Error(`${advice} Found ${version || 'no version'}.`);
  return go;
}

/**
 * The go command's environment: module mode whatever the caller's GOFLAGS say, no VCS stamping,
 * and the toolchain the modules ask for (unless GOTOOLCHAIN says otherwise).
 */
export function goEnv(extra = {}) {
  const flags = `${process.env.GOFLAGS ?? ''} -mod=mod -buildvcs=false`.trim();
  return { ...process.env, GOFLAGS: flags, GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto', ...extra };
}

/**
 * The directory of `module@version` in the module cache, downloaded (and checksum-verified
 * against the Go checksum database) on first use.
 * @param {string} module
 * @param {string} version
 * @param {string} purpose
 */
export function goModuleDir(module, version, purpose) {
  const go = goCommand(purpose);
  // Outside any module, so no go.mod of the caller's is read or changed.
  const cwd = mkdtempSync(join(tmpdir(), 'lakerunner-go-'));
  try {
    const out = run(go, ['mod', 'download', '-json', `${module}@${version}`], { cwd, env: goEnv() });
    return JSON.parse(out).Dir;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
