/**
 * What channels keep under DATA_DIR (attachments, outgoing mail, keys) is customer data: folders are
 * 0700 and files 0600. The modes are given at creation, where the umask can only remove bits, so no
 * process-wide umask change is needed.
 */
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** permission bits for the group and for everyone else */
const SHARED_BITS = 0o077;

/** Creates `dir` and its missing parents, each for this user only. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export function makePrivateDirSync(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Writes a new file for this user only; `wx` because a mode is applied only when the file is created. */
export async function writePrivateFile(file: string, data: Uint8Array | string): Promise<void> {
  await writeFile(file, data, { flag: 'wx', mode: PRIVATE_FILE_MODE });
}

/** Sets an existing file that others may open to 0600. */
export function tightenFileSync(file: string): void {
  if (fs.statSync(file).mode & SHARED_BITS) fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Sets a folder that others can open to 0700, and only it. Returns its old mode (octal, e.g. "755")
 * when it was changed; a missing folder is nothing to tighten.
 */
export function tightenPrivateDir(dir: string): string | undefined {
  let mode: number;
  try {
    mode = fs.statSync(dir).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!(mode & SHARED_BITS)) return undefined;
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
  return mode.toString(8);
}

/**
 * Like `tightenPrivateDir`, and then every folder and file under it too (left so by an earlier version
 * or a copy). Only for folders whose whole content is ours. The tree is walked only when the folder
 * itself was open, so a start does not pay for a big folder that is already private.
 */
export function tightenPrivateTree(dir: string): string | undefined {
  const was = tightenPrivateDir(dir);
  if (was === undefined) return undefined;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    // symbolic links are skipped: their targets may lie outside and belong to someone else
    if (entry.isDirectory()) fs.chmodSync(full, PRIVATE_DIR_MODE);
    else if (entry.isFile()) tightenFileSync(full);
  }
  return was;
}
