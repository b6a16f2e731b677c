import fs from 'node:fs';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../errors.ts';
import type { StoredFile } from './stored-files.ts';

/** Streams a stored file: images shown in place, anything else downloaded, never run as a page of ours. */
export async function sendStoredFile(reply: FastifyReply, f: StoredFile): Promise<FastifyReply> {
  const stream = fs.createReadStream(f.file);
  await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', () => reject(new GatewayError('NOT_FOUND', 'the file is gone'))));
  // no script, no plugin, even if a browser guessed otherwise
  reply.header('content-security-policy', "default-src 'none'; sandbox");
  reply.header('content-disposition', `${f.inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.name)}`);
  return reply.type(f.contentType).send(stream);
}
