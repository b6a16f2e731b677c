/**
 * At start, the folders the email channel keeps customer data in are made private when an earlier
 * version or a copy left them open to others: DATA_DIR itself (only the folder: what else lies in it is
 * not ours to change), and the attachment and outbox folders with everything in them. The thread key
 * is tightened where it is read, the database by the store.
 */
import type { FastifyBaseLogger } from 'fastify';
import { tightenPrivateDir, tightenPrivateTree } from '../file-modes.ts';
import type { EmailConfig } from './email.config.ts';

export function guardDataDir(config: Pick<EmailConfig, 'dataDir' | 'attachmentsDir' | 'outboxDir'>, log: FastifyBaseLogger): void {
  const changes: Array<[string, string | undefined]> = [
    [config.dataDir, tightenPrivateDir(config.dataDir)],
    [config.attachmentsDir, tightenPrivateTree(config.attachmentsDir)],
    [config.outboxDir, tightenPrivateTree(config.outboxDir)],
  ];
  for (const [dir, was] of changes) {
    if (was) log.warn({ path: dir, was }, `email: ${dir} was open to other users (${was}); tightened to 0700, files in it to 0600`);
  }
}
