/**
 * A keyed tag for a case number. Only we can produce `CS0001001.<tag>`, so a reply carrying it in
 * our plus address or in one of our Message-IDs proves which case it answers; a case number a
 * sender merely typed (subject, untagged plus address) proves nothing. The key comes from
 * EMAIL_THREAD_SECRET or is generated once into the data dir.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDirSync, PRIVATE_FILE_MODE, tightenFileSync } from '../file-modes.ts';

const TAG_CHARS = 10;
/** a shorter key would make the tags guessable */
export const MIN_SECRET_CHARS = 16;

export class CaseTagger {
  constructor(private readonly secret: string) {
    if (secret.length < MIN_SECRET_CHARS) throw new Error(`the thread secret must be at least ${MIN_SECRET_CHARS} characters`);
  }

  tag(caseNumber: string): string {
    return createHmac('sha256', this.secret).update(caseNumber.toUpperCase()).digest('hex').slice(0, TAG_CHARS);
  }

  verify(caseNumber: string, tag: string): boolean {
    const expected = Buffer.from(this.tag(caseNumber));
    const given = Buffer.from(tag.toLowerCase());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** The configured secret, else the one kept in `file` (created with a random value on first use). */
export function loadThreadSecret(configured: string | undefined, file: string): string {
  if (configured) return configured;
  try {
    const secret = fs.readFileSync(file, 'utf8').trim();
    // whoever can read the key can forge the tags
    tightenFileSync(file);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  makePrivateDirSync(path.dirname(file));
  const secret = randomBytes(32).toString('hex');
  try {
    // `wx`: when two processes start together, the first one's secret wins and both use it
    fs.writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
}
