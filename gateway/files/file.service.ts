/**
 * Files agents send: uploaded first (stored once per content, like mail attachments), then named in an
 * answer or a note; and the public links through which a customer (or Twilio, fetching an MMS) reads
 * the files of an answer.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AttachmentStore } from '../../channels/attachment-store.ts';
import type { Db } from '../../store/db.ts';
import { sentFiles } from '../../store/interaction.repository.ts';
import { GatewayError } from '../errors.ts';
import { parseRecords, storedFileOf, type StoredFile } from './stored-files.ts';

export interface FileServiceDeps {
  db: Db;
  dataDir: string;
  /** the largest upload, in bytes */
  maxBytes: number;
  /** how long the links to an answer's files keep working */
  mediaLinkDays: number;
  now: () => Date;
}

/** An uploaded file, as the uploader names it in an answer. */
export interface FileRef {
  id: string;
  name: string;
  contentType: string;
}

/** What an answer's (or a note's) `attachments` list keeps of each file. */
export interface SentFileRecord {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  storedPath: string;
}

/** An answer's files with the secret of their links. */
export interface AnswerFiles {
  attachments: SentFileRecord[];
  mediaToken: string;
}

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

export class FileService {
  private readonly store: AttachmentStore;
  private readonly dir: string;

  constructor(private readonly deps: FileServiceDeps) {
    this.dir = path.join(deps.dataDir, 'attachments');
    this.store = new AttachmentStore(this.dir, deps.maxBytes, deps.dataDir);
  }

  get maxBytes(): number {
    return this.deps.maxBytes;
  }

  async upload(name: string, contentType: string | undefined, body: Buffer | undefined): Promise<FileRef & { size: number }> {
    if (!body || body.byteLength === 0) throw new GatewayError('EMPTY_UPLOAD', 'the upload has no content: send the file as the request body');
    const stored = await this.store.put(body);
    if (!stored.storedPath) throw new GatewayError('UPLOAD_TOO_LARGE', `files are at most ${this.deps.maxBytes} bytes`);
    return { id: stored.sha256, name: cleanFileName(name), contentType: cleanContentType(contentType), size: body.byteLength };
  }

  /** The uploads an answer names, checked to exist; a new secret for their links. */
  async forAnswer(refs: readonly FileRef[]): Promise<AnswerFiles | undefined> {
    if (refs.length === 0) return undefined;
    const attachments: SentFileRecord[] = [];
    for (const ref of refs) {
      const size = SHA256.test(ref.id) ? await sizeOf(path.join(this.dir, ref.id)) : null;
      if (size === null) throw new GatewayError('UPLOAD_NOT_FOUND', `no uploaded file ${ref.id}: upload it first (POST /api/v1/uploads)`);
      attachments.push({ name: cleanFileName(ref.name), contentType: cleanContentType(ref.contentType), size, sha256: ref.id, storedPath: path.join('attachments', ref.id) });
    }
    return { attachments, mediaToken: randomBytes(18).toString('base64url') };
  }

  /** A file of an answer through its public link: the secret must match and the link must not have lapsed. */
  async media(interactionId: string, index: number, token: string): Promise<StoredFile> {
    const sent = await sentFiles(this.deps.db.read, interactionId);
    const missing = new GatewayError('NOT_FOUND', 'no such file, or its link has lapsed');
    if (!sent?.mediaToken || !sameSecret(sent.mediaToken, token)) throw missing;
    if (this.deps.now().getTime() > sent.createdAt.getTime() + this.deps.mediaLinkDays * 86_400_000) throw missing;
    const file = storedFileOf(this.deps.dataDir, parseRecords(sent.attachments)[index], index);
    if (!file) throw missing;
    return file;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** A file name as people and mail clients expect it: no folders, no control characters, not empty, not endless. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean && clean !== '.' && clean !== '..' ? clean : 'file';
}

/** A media type without parameters, or application/octet-stream for anything that is not one. */
export function cleanContentType(type: string | undefined): string {
  const bare = (type ?? '').split(';')[0]!.trim().toLowerCase();
  return CONTENT_TYPE.test(bare) ? bare : 'application/octet-stream';
}
