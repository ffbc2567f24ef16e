import { open, readFile, rm } from 'node:fs/promises';
import { isProcessRunning, LakerunnerError } from '@lakerunner/core';

/**
 * PGlite is PostgreSQL inside one process: a second process opening the same data directory
 * would corrupt it. A lock file next to the directory, holding the owner's pid, refuses that
 * with a clear error; a lock left by a process that no longer runs is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lock = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (owner && isProcessRunning(owner)) {
        throw new LakerunnerError(
          'LR_CATALOG_IN_USE',
          `the PGlite catalog ${dataDir} is open in process ${owner}; PGlite serves one process, so run ` +
            'the services together (lakerunner run --all) or use PostgreSQL (catalog.options.connectionString). ' +
            `If process ${owner} is not lakerunner, remove ${lock}.`,
        );
      }
      await rm(lock, { force: true });
    }
  }
  throw new LakerunnerError('LR_CATALOG_IN_USE', `cannot take the lock ${lock}`);
}
