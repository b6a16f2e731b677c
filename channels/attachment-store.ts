/**
 * Attachment content on disk, addressed by its sha256 so a file mailed twice is stored once.
 * Written to a temporary name and renamed, so a crash never leaves a half file under the real name;
 * readable by this user only, like every folder up to the data dir.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rename, stat, rm } from 'node:fs/promises';
import path from 'node:path';
import { makePrivateDir, writePrivateFile } from './file-modes.ts';

export interface StoredAttachment {
  sha256: string;
  /** path relative to the data dir, when the content was stored */
  storedPath?: string;
  /** why it was not stored */
  skipped?: 'too_large';
}

export class AttachmentStore {
  /** @param dir <dataDir>/attachments; @param relativeTo the data dir, for the paths we report */
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly relativeTo: string,
  ) {}

  async put(content: Uint8Array): Promise<StoredAttachment> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (content.byteLength > this.maxBytes) return { sha256, skipped: 'too_large' };
    const target = path.join(this.dir, sha256);
    const storedPath = path.relative(this.relativeTo, target);
    if (await exists(target)) return { sha256, storedPath };
    await makePrivateDir(this.dir);
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writePrivateFile(temp, content);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
    return { sha256, storedPath };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
