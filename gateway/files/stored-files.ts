/**
 * Files kept under DATA_DIR/attachments, as the gateway hands them out: to agents through the case's
 * attachment route, to customers (and to Twilio fetching an MMS) through links that carry a secret.
 */
import path from 'node:path';
import type { OutboundAttachment } from '../../channels/channel.types.ts';

/** Types a browser may show in place; anything else is downloaded. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** An attachment's file, and how a browser may show it. */
export interface StoredFile {
  file: string;
  name: string;
  contentType: string;
  inline: boolean;
}

/** What an interaction's `attachments` list holds for a stored file (inbound from mail, outbound from an upload). */
export interface AttachmentRecord {
  name?: unknown;
  contentType?: unknown;
  size?: unknown;
  storedPath?: unknown;
}

/** The file of a stored attachment record; null when it has none or its path leaves the attachments folder. */
export function storedFileOf(dataDir: string, a: AttachmentRecord | undefined, index: number): StoredFile | null {
  if (!a || typeof a.storedPath !== 'string') return null;
  // the path comes from our own store; one leaving the attachments folder is refused all the same
  const root = path.resolve(dataDir, 'attachments');
  const file = path.resolve(dataDir, a.storedPath);
  if (!file.startsWith(root + path.sep)) return null;
  const contentType = typeof a.contentType === 'string' && INLINE_TYPES.has(a.contentType.toLowerCase()) ? a.contentType.toLowerCase() : 'application/octet-stream';
  return { file, name: typeof a.name === 'string' && a.name ? a.name : `attachment-${index + 1}`, contentType, inline: contentType !== 'application/octet-stream' };
}

/** Where a sent file can be fetched by whoever holds the link: the answer, the file's place, the answer's secret, its name. */
export function mediaUrl(publicUrl: string, interactionId: string, index: number, token: string, name: string): string {
  return `${publicUrl}/media/${encodeURIComponent(interactionId)}/${index}/${token}/${encodeURIComponent(name)}`;
}

/** The files of a stored answer as channels send them: the content on disk and a link to it. */
export function outboundAttachments(o: { dataDir: string; publicUrl: string }, interactionId: string, attachmentsJson: string, mediaToken: string | undefined): OutboundAttachment[] {
  const records = parseRecords(attachmentsJson);
  const out: OutboundAttachment[] = [];
  records.forEach((a, index) => {
    const stored = storedFileOf(o.dataDir, a, index);
    if (!stored || !mediaToken) return;
    out.push({
      name: stored.name,
      contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
      size: typeof a.size === 'number' ? a.size : 0,
      path: stored.file,
      url: mediaUrl(o.publicUrl, interactionId, index, mediaToken, stored.name),
    });
  });
  return out;
}

export function parseRecords(json: string): AttachmentRecord[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as AttachmentRecord[]) : [];
  } catch {
    return [];
  }
}
