/** How our replies look: subject with one case token, plain text and a simple escaped HTML twin. Pure. */

const REPLY_PREFIX = /^\s*((re|aw|sv|antw|ref|rif|odp|vs)\s*(\[\d+\])?\s*:\s*)+/iu;
const CASE_TOKEN = /\s*\[CS\d{7,}\]\s*/giu;

/** "Re: <subject> [CS0001001]": one "Re:", one token, whatever the customer's client did before */
export function replySubject(subject: string, caseNumber: string): string {
  const base = subject.replace(CASE_TOKEN, ' ').replace(REPLY_PREFIX, '').replace(/\s+/gu, ' ').trim();
  return `Re: ${base || 'Your request'} [${caseNumber}]`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
}

export function replyHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/gu, '\n')
    .split(/\n{2,}/u)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/gu, '<br>')}</p>`);
  return `<!doctype html><html><body>${paragraphs.join('\n')}</body></html>`;
}

/** References for the reply: the case's ids then the one we answer, each once, newest last, bounded */
export function replyReferences(references: readonly string[], inReplyTo: string | undefined, max = 30): string[] {
  const all = inReplyTo ? [...references, inReplyTo] : [...references];
  const out: string[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const id = all[i]!.trim();
    if (/^<[^<>\s]+>$/u.test(id) && !out.includes(id)) out.unshift(id);
  }
  return out.slice(-max);
}
