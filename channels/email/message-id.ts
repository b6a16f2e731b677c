/**
 * Our outbound Message-IDs name the case with its keyed tag: `<CS0001001.3f9a2b7c1d.k3j9x2p1@support.example>`.
 * A reply carrying one in In-Reply-To / References proves which case it answers only when the domain
 * is ours and the tag verifies: anyone can write "CS0001001" into an id of their own.
 */
import { randomBytes } from 'node:crypto';
import type { CaseTagger } from './case-tag.ts';

const CASE_NUMBER = /^CS\d{7,}$/u;
const OUR_ID = /^<(CS\d{7,})\.([0-9a-f]+)\.[a-z0-9]+@([^<>@\s]+)>$/iu;

export function newMessageId(caseNumber: string, domain: string, tagger: CaseTagger, random: () => string = defaultRandom): string {
  if (!CASE_NUMBER.test(caseNumber)) throw new Error(`not a case number: ${caseNumber}`);
  return `<${caseNumber}.${tagger.tag(caseNumber)}.${random()}@${domain}>`;
}

/** The Message-ID of an internal notice: ours, but naming no case. */
export function newNoticeId(domain: string, random: () => string = defaultRandom): string {
  return `<notice.${random()}@${domain}>`;
}

function defaultRandom(): string {
  return randomBytes(10).toString('hex');
}

/** the case number in one of our Message-IDs, or undefined for anyone else's id or a forged tag */
export function caseFromOurMessageId(id: string, ourDomains: readonly string[], tagger: CaseTagger): string | undefined {
  const m = OUR_ID.exec(id.trim());
  if (!m || !ourDomains.includes(m[3]!.toLowerCase())) return undefined;
  const caseNumber = m[1]!.toUpperCase();
  return tagger.verify(caseNumber, m[2]!) ? caseNumber : undefined;
}

/**
 * Message-ids in a header value, in order, each once. Takes `<a@b>` tokens; a value without angle
 * brackets (some clients drop them) is read as whitespace/comma separated `local@domain` words.
 */
export function extractMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/gu);
  const ids = bracketed ?? value.split(/[\s,]+/u).filter((w) => /^[^@\s]+@[^@\s]+$/u.test(w)).map((w) => `<${w}>`);
  return [...new Set(ids)];
}
