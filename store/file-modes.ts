/**
 * The database holds customer data, so its folder and files are for this user only (0700 / 0600),
 * whatever the process umask.
 */
import fs from 'node:fs';
import path from 'node:path';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
/** permission bits for the group and for everyone else */
const SHARED_BITS = 0o077;

/**
 * Prepares the SQLite file `file` before SQLite opens it. The file is created (or tightened) here
 * rather than under a temporary umask: the umask is process-wide, so a temporary one would also apply
 * to whatever else the process creates meanwhile. SQLite makes -wal and -shm with the mode of the
 * database file, so a 0600 database gets 0600 companions; ones left by a crash keep the mode they were
 * made with, so they are tightened too. A folder that already exists is left as it is: DATABASE_URL
 * may point into a folder the operator manages.
 */
export function preparePrivateDatabaseFile(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIR });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) tighten(f);
}

function tighten(file: string): void {
  try {
    if (fs.statSync(file).mode & SHARED_BITS) fs.chmodSync(file, PRIVATE_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
