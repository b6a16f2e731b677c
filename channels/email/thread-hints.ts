/**
 * Thread hints from a parsed mail: which case it proves to belong to (our tagged plus address, our
 * tagged Message-ID), which case the sender merely claims (subject token, untagged plus address), and
 * the ids it answers. Pure apart from the keyed tag check.
 */
import type { ThreadHints } from '../channel.types.ts';
import type { ParsedEmail } from './mime-parser.ts';
import type { CaseTagger } from './case-tag.ts';
import { caseFromOurMessageId, extractMessageIds } from './message-id.ts';

export interface HintContext {
  supportAddresses: readonly string[];
  tagger: CaseTagger;
  /** SMTP envelope recipients, when the mail came over SMTP */
  envelopeTo?: readonly string[];
}

export interface HintResult {
  hints: ThreadHints;
  /** where the trusted case number came from, for the interaction's meta */
  trustedFrom?: 'plus_address' | 'message_id';
}

const SUBJECT_TOKEN = /\[(CS\d{7,})\]/iu;
const PLUS_ADDRESS = /^([^+@\s]+)\+(CS\d{7,})(?:\.([0-9a-z]+))?@([^@\s]+)$/iu;
/** the longest References chain we keep; older ids add nothing a newer one does not */
const MAX_REFERENCES = 50;

export function threadHints(mail: ParsedEmail, ctx: HintContext): HintResult {
  const references = referenceIds(mail);
  const hints: ThreadHints = {};
  if (references.length > 0) hints.references = references;

  const plus = caseFromPlusAddress(recipients(mail, ctx), ctx.supportAddresses, ctx.tagger);
  const claimed = plus?.caseNumber ?? SUBJECT_TOKEN.exec(mail.subject ?? '')?.[1]?.toUpperCase();
  if (claimed) hints.claimedCaseNumber = claimed;
  if (plus?.tagged) return { hints: { ...hints, trustedCaseNumber: plus.caseNumber }, trustedFrom: 'plus_address' };

  const domains = ctx.supportAddresses.map((a) => a.split('@')[1]!);
  // newest first: the id the sender answered directly decides
  for (const id of [...references].reverse()) {
    const fromId = caseFromOurMessageId(id, domains, ctx.tagger);
    if (fromId) return { hints: { ...hints, trustedCaseNumber: fromId }, trustedFrom: 'message_id' };
  }
  return { hints };
}

/** References (oldest first) then In-Reply-To, each id once at its newest position */
export function referenceIds(mail: ParsedEmail): string[] {
  const refs = (mail.headers['references'] ?? []).flatMap(extractMessageIds);
  const inReplyTo = (mail.headers['in-reply-to'] ?? []).flatMap(extractMessageIds);
  const all = [...refs, ...inReplyTo];
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const id = all[i]!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.unshift(id);
  }
  return out.slice(-MAX_REFERENCES);
}

function recipients(mail: ParsedEmail, ctx: HintContext): string[] {
  const headerAddresses = ['delivered-to', 'x-original-to', 'envelope-to']
    .flatMap((h) => mail.headers[h] ?? [])
    .flatMap((v) => v.match(/[^\s<>,;"]+@[^\s<>,;"]+/gu) ?? []);
  return [...mail.to, ...mail.cc].map((a) => a.address).concat(headerAddresses, ctx.envelopeTo ?? []);
}

/** our Reply-To for a case: `support+CS0001001.<tag>@domain`, so a reply proves its case even without ids */
export function casePlusAddress(supportAddress: string, caseNumber: string, tagger: CaseTagger): string {
  const [local, domain] = supportAddress.split('@') as [string, string];
  return `${local}+${caseNumber}.${tagger.tag(caseNumber)}@${domain}`;
}

/**
 * The case named by a plus address of one of our support addresses; `tagged` when it carries the
 * case's valid tag (only we hand those out), otherwise it is just a number the sender wrote.
 */
export function caseFromPlusAddress(
  addresses: readonly string[],
  supportAddresses: readonly string[],
  tagger: CaseTagger,
): { caseNumber: string; tagged: boolean } | undefined {
  let untagged: string | undefined;
  for (const address of addresses) {
    const m = PLUS_ADDRESS.exec(address.trim());
    if (!m || !supportAddresses.includes(`${m[1]}@${m[4]}`.toLowerCase())) continue;
    const caseNumber = m[2]!.toUpperCase();
    if (m[3] && tagger.verify(caseNumber, m[3])) return { caseNumber, tagged: true };
    untagged ??= caseNumber;
  }
  return untagged ? { caseNumber: untagged, tagged: false } : undefined;
}

/** an address a mail can be sent to: something@somewhere, no spaces or brackets */
export const MAIL_ADDRESS = /^[^@\s<>]+@[^@\s<>]+$/u;

/** true when the address is one of ours, plain or plus-addressed */
export function isSupportAddress(address: string, supportAddresses: readonly string[]): boolean {
  const plain = address.trim().toLowerCase().replace(/^([^+@]+)\+[^@]*@/u, '$1@');
  return supportAddresses.includes(plain);
}
