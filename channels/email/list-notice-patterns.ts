/**
 * Notices of mailing-list managers (Mailman, LISTSERV, Majordomo, Sympa, Google Groups) about a mail
 * we sent to a list: held for moderation, refused to a non-member, rejected, or caught in a mail
 * loop. They come from the list's own addresses or from ordinary-looking ones, often without any
 * list header. Pure.
 */

/** addresses only list managers write from */
const LIST_MANAGER_SENDER = /^(listserv|majordomo|mailman|sympa|ecartis|listproc|listmaster|[^@]+-bounces(\+[^@]*)?)@/iu;

const NOTICE_SUBJECT = [
  /^your\s+(message|mail|post(ing)?)\s+to\s+.{1,200}?\s+(awaits|is\s+awaiting|requires|needs)\s+(moderator\s+)?(approval|moderation)\b/iu,
  /^(request\s+to\s+mailing\s+list|your\s+(message|mail|post(ing)?)\s+to)\s+.{1,200}?\s+((was|has\s+been)\s+)?(rejected|denied|discarded|held|refused|not\s+(accepted|delivered|distributed|posted))\b/iu,
  /^(rejected|refused|held)\s+(posting|post|message|mail)\s+(to|for|on)\s/iu,
  /^(warning:\s*)?mail(ing)?\s+(forwarding\s+)?loop\b/iu,
  /^(mail\s+)?loop\s+detected\b/iu,
  /^you\s+((are\s+not|aren['’]t)\s+(allowed|permitted|authori[sz]ed)|(do\s+not|don['’]t)\s+have\s+permission)\s+to\s+post\b/iu,
  /^non-?member\s+(post|posting|submission)\b/iu,
  /^(message|post)\s+held\s+for\s+moderation\b/iu,
  /^the\s+results\s+of\s+your\s+email\s+commands?\b/iu,
  /^welcome\s+to\s+(the\s+)?.{1,100}?\s+mailing\s+list\b/iu,
];

const NOTICE_TEXT = [
  /\bis\s+being\s+held\s+until\s+the\s+list\s+moderator\b/iu,
  /\b(awaits|awaiting)\s+moderator\s+approval\b/iu,
  /\bpost\s+by\s+non-?member\s+to\s+a\s+members-only\s+list\b/iu,
  /\bhas\s+been\s+rejected\s+by\s+the\s+list\s+moderator\b/iu,
  /\byou\s+are\s+not\s+(allowed|permitted|authori[sz]ed)\s+to\s+(post|send\s+(mail|messages?))\s+to\s+(this|the)\s+(\S+\s+){0,2}(mailing\s+)?list\b/iu,
  /\byou\s+(do\s+not|don['’]t|may\s+not|might\s+not)\s+have\s+permission\s+to\s+post\s+(messages\s+)?to\s+(this|the)\s+group\b/iu,
  /\b(a\s+)?mail\s+(forwarding\s+)?loop\s+((was|has\s+been)\s+)?detected\b/iu,
];

/** Why this is a list manager's notice, or undefined. */
export function listNotice(from: string, subject: string, text: string): string | undefined {
  if (LIST_MANAGER_SENDER.test(from)) return 'list manager sender';
  if (NOTICE_SUBJECT.some((re) => re.test(subject.trim()))) return 'list manager notice';
  if (NOTICE_TEXT.some((re) => re.test(text))) return 'list manager notice';
  return undefined;
}
