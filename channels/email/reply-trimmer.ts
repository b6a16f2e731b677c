/**
 * Cuts a reply down to what the sender newly wrote: quoted history ("On … wrote:" in many languages,
 * Outlook header blocks, "-----Original Message-----", forwarded blocks, helpdesk "reply above this line"
 * separators), quotes and signatures go. In an answer written between quoted lines only the answers stay:
 * the whole mail is kept as the interaction's full text.
 * Pure; returns the trimmed text and why it cut where it did.
 */

export interface TrimResult {
  text: string;
  /** what ended the new part (`none` when nothing was removed) */
  reason: 'none' | 'quote_header' | 'delimiter' | 'signature' | 'header_block' | 'trailing_quote' | 'inline_quotes' | 'quote_structure';
}

type Marker = { kind: 'quote_header' | 'delimiter' | 'signature' | 'header_block'; span: number; quoted: boolean };

/** lines joined when a "… wrote:" header wraps (clients break it at 72-78 columns) */
const HEADER_WINDOW = 5;
const MAX_MARKER_LINE = 1000;
/** a first line shorter than this is an answer of its own, never the start of a wrapped header */
const SHORT_ANSWER = 30;

const WROTE_WORDS =
  'wrote|a écrit|schrieb|schreef|escribió|escreveu|geschreven|ha scritto|skrev|napisał\\(a\\)|napisała|napisał|pisze|napsal\\(a\\)|napsal|написал|пише|写道|kirjoitti|írta|yazdı';
/** "On <date>, <name> wrote:" and its translations: an opening word, a digit soon after, a closing verb */
const ON_DATE_WROTE = new RegExp(
  `^(on|le|am|el|em|op|il|den|dnia|w dniu|el día)\\b.{0,40}\\d.{0,300}?(${WROTE_WORDS})\\b.{0,200}?[:：]$`,
  'iu',
);
/** "<name> <address> wrote:", "At 6/16/2016 08:32 PM, you wrote:", "<date> пользователь … написал:" */
const SOMEONE_WROTE = new RegExp(`^.{0,300}(${WROTE_WORDS})\\s*[:：]$`, 'iu');
/** the verbs anywhere in a line, for `wroteOnDate` */
const WROTE_WORD = new RegExp(`\\b(${WROTE_WORDS})\\b`, 'giu');
/** Gmail's "2016-03-03 17:21 GMT+01:00 Some One <a@b>:" and "2013/7/20 sam <a@b>" */
const GMAIL_DATE_HEADER = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b.{0,200}(@|GMT|UTC)/u;
/** "---- On Tue, 22 Dec 2015 … wrote ----" (Zoho) */
const DASHED_WROTE = new RegExp(`^-{2,}\\s*on\\b.{0,300}(${WROTE_WORDS})\\s*-{2,}$`, 'iu');
/** Apple Mail in Polish ("Wiadomość napisana przez <name> w dniu <date>:"), tested by `polishWrittenBy` */
const POLISH_OPENING = /^wiadomość napisana przez /iu;
/** a date closing a header: a digit, then at most 120 characters to the colon */
const DATE_TO_COLON = /\d.{0,120}[:：]$/u;
/** "Support Team <help@example.com> @ 2026-12-04 10:15 CET:", tested by `addressAtDate` */
const ENDS_WITH_ADDRESS = /[\w.+-]@[\w-]+(?:\.[\w-]+)+>?\)?$/u;
/** the words that open an "On <date> … wrote:" header, for telling where a wrapped one starts */
const HEADER_OPENING = /^(on|le|am|el|em|op|il|den|dnia|w dniu|el día|il giorno|wiadomość napisana)\b.{0,60}\d/iu;

const NAMED_DELIMITER =
  /^[*\s]*-{2,}\s*(original message|forwarded message|mensaje original|message d'origine|message transféré|ursprüngliche nachricht|weitergeleitete nachricht|messaggio originale|messaggio inoltrato|oorspronkelijk bericht|doorgestuurd bericht|originalmeddelande|wiadomość oryginalna|mensagem original|исходное сообщение)\s*-{2,}[*\s]*$/iu;
const FORWARD_LINE = /^(begin forwarded message|début du message réexpédié|anfang der weitergeleiteten nachricht)\s*:$/iu;
/**
 * Helpdesks ask to be answered above a line ("##- Please type your reply above this line -##"); a customer
 * answering one of their mails to us quotes it under that line. "In reply to:" opens an older message too.
 */
const REPLY_ABOVE =
  /^[^\p{L}\d]{0,6}(\p{L}+\s+){0,6}(above this line|oberhalb dieser zeile|über dieser zeile|au-dessus de cette ligne|por encima de esta línea|encima de esta línea|boven deze regel|sopra questa riga|acima desta linha|powyżej tej linii)\b.{0,40}$/iu;
/** a reply-above line asks for an answer; "the error shows above this line of code" does not */
const REPLY_WORD =
  /\b(reply|respond|response|answer|type|write|antwort|antworten|schreiben|répondre|réponse|répondez|escriba|responda|respuesta|typ|antwoord|rispondi|risposta|rispondere|resposta|odpowiedz|odpowiedź|odpowiedzi)\b/iu;
/** the label alone, or naming a ticket or message ("In reply to: Ticket #4411"), never a sentence */
const IN_REPLY_TO =
  /^(in reply to|als antwort auf|en réponse à|en respuesta a|in risposta a|em resposta a|w odpowiedzi na)\s*[:：]\s*([^.!?]{0,80}[#\d@][^.!?]{0,80})?$/iu;
/** a line made only of separator characters: "--", "______", "***", "=====" */
const SYMBOL_DELIMITER = /^\s*([-_=~*#+]\s*){2,}$/u;

const FROM_HEADER = /^\s*\*?(from|de|von|da|från|fra|van|od|от|lähettäjä)\s*:\*?\s*\S/iu;
/** Outlook's header block joined into one line by a converter: "*From:* … *Sent:* …" */
const ONE_LINE_HEADER =
  /^\s*\*?(from|de|von|da|från|fra|van|od)\s*:\*?\s.{1,300}?\s\*?(sent|date|gesendet|datum|enviado|fecha|envoyé|inviato|data|verzonden|wysłane|skickat|sendt)\s*:\*?\s/iu;
const OTHER_HEADER =
  /^\s*\*?(sent|date|to|subject|reply-to|cc|enviado|fecha|para|asunto|gesendet|datum|an|betreff|data|a|oggetto|risposta|inviato|skickat|till|ämne|envoyé|à|objet|verzonden|aan|onderwerp|wysłane|temat|do|отправлено|кому|тема|sendt|til|emne)\s*:\*?(\s|$)/iu;

const SIGNATURE_LINE: RegExp[] = [
  /^--\s*$/u,
  /^(sent|envoyé|enviado|inviato|verzonden|verstuurd|gesendet|skickat|sendt|wysłane|отправлено)\s+(from|with|via|depuis|de|desde|da|met|vanaf|från|fra|von|z|с)\s.{0,80}$/iu,
  /^(von|vom) meine[mn]? .{0,60}gesendet\.?$/iu,
  /^diese nachricht wurde von meinem .{0,80}gesendet\.?$/iu,
  /^get outlook for /iu,
  /^get \[outlook for /iu,
  /^從我的 .{0,30}傳送$/u,
  /^<<sent by .{0,40}>>$/iu,
  /^\(sent from .{0,40}\)$/iu,
];
/** "Sent from …" also starts ordinary sentences: a signature names a device or mail app, or is a bare "Sent from my …" */
const DEVICE_WORDS =
  /\b(mobile|phone|smartphone|iphone|ipad|ipod|android|outlook|mail|mailbox|airmail|blackberry|samsung|galaxy|device|windows|yahoo|gmail|k-9|handy|móvil|téléphone|portable|telefon|telefono|telemóvel|smartfon|tablet)\b/iu;
/** the "Sent from …" lines in languages where they also open ordinary sentences */
const SENT_FROM = /^(sent|envoyé)\b/iu;
/** "my …", the thing sent from being the writer's */
const OWN_THING = /\b(my|mon|ma)\b/iu;
/** "Sent from a magnificent torch of pixels": "a …" too, in a line that short */
const A_THING = /^\S+ \S+ an? (?:\S+ ){0,3}\S+$/iu;

const QUOTE_PREFIX = /^\s*([A-Za-z]{1,10})?[>|]/u;
const INVISIBLE = /^[\s\u1427\u200b\u200c\u200d\ufeff]*$/u;
const CODE_FENCE = /^\s*(```|~~~)/u;

/**
 * `quoteAt`: where the quoted history starts, when the body was converted from HTML whose quote container
 * showed it (see html-quote.ts).
 */
export function trimReply(body: string, quoteAt?: number): TrimResult {
  return quoteAt === undefined ? trimText(body) : trimAtQuote(body, quoteAt);
}

function trimText(body: string): TrimResult {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const inCode = codeLines(lines);
  const dropped = new Set<number>();
  let cutAt = lines.length;
  let reason: TrimResult['reason'] = 'none';

  const textFrom = textSuffix(lines);
  const quoteEnds = quoteEndSuffix(lines);
  // whether a kept line with content precedes line i; tracked as we go to stay linear
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    if (dropped.has(i)) continue;
    const marker = inCode[i] ? undefined : markerAt(lines, i);
    if (!marker) {
      if (!INVISIBLE.test(lines[i]!)) seenContent = true;
      continue;
    }
    const atTop = !seenContent;
    // a header inside a quote belongs to the quote, which goes with it; what the sender wrote after it stays
    if (marker.kind === 'quote_header' && marker.quoted && textFrom[quoteEnds[i]!]) {
      for (let k = i; k < i + marker.span; k++) dropped.add(k);
      i += marker.span - 1;
      continue;
    }
    if (marker.kind === 'quote_header' && !marker.quoted) {
      const after = nextContentLine(lines, i + marker.span);
      // only ">" quotes count as a reply's context; "Name>" prefixes are old mailing-list history
      const quoteEnd = after >= 0 && isCited(lines[after]!) ? quoteEnds[after]! : -1;
      if (atTop) {
        // the quoted message comes first and the answer follows it: drop header and quote
        const until = quoteEnd >= 0 && textFrom[quoteEnd] ? quoteEnd : i + marker.span;
        for (let k = i; k < until; k++) dropped.add(k);
        i = until - 1;
        continue;
      }
      if (quoteEnd >= 0 && textFrom[quoteEnd]) {
        // interleaved answer: the quote is context the sender replies to, keep it
        for (let k = i; k < i + marker.span; k++) dropped.add(k);
        i += marker.span - 1;
        continue;
      }
    }
    if (atTop && (marker.kind === 'delimiter' || marker.kind === 'header_block') && !marker.quoted) {
      // a forward with nothing written above it: the forwarded body is the message
      let until = i + 1;
      while (until < lines.length && lines[until]!.trim() !== '') until++;
      for (let k = i; k < until; k++) dropped.add(k);
      i = until - 1;
      continue;
    }
    cutAt = i;
    reason = marker.kind;
    break;
  }

  let kept = lines.slice(0, cutAt).filter((_, k) => !dropped.has(k));
  const withoutTrailingQuote = dropTrailingQuote(kept);
  if (withoutTrailingQuote.length !== kept.length) {
    kept = withoutTrailingQuote;
    if (reason === 'none') reason = 'trailing_quote';
  }
  const answers = dropInlineQuotes(kept, dropped.size > 0);
  if (answers !== kept) {
    kept = answers;
    if (reason === 'none') reason = 'inline_quotes';
  }
  if (reason === 'none' && dropped.size > 0) reason = 'quote_header';
  return { text: stripBlankEdges(kept), reason };
}

/**
 * A reply converted from HTML whose quote container starts at `quoteAt`: the new text is what stands above
 * it (less a signature). When nothing stands above it, or the sender answered inside the quote (their lines
 * between its quoted ones), the text rules decide over the whole body instead.
 */
function trimAtQuote(body: string, quoteAt: number): TrimResult {
  const head = body.slice(0, quoteAt);
  if (!/\S/u.test(head) || answersInside(body.slice(quoteAt))) return trimText(body);
  const cut = trimText(head);
  return { text: cut.text, reason: cut.reason === 'none' ? 'quote_structure' : cut.reason };
}

/** a line of the sender's own after the first quoted line of the quote */
function answersInside(quote: string): boolean {
  let quoted = false;
  for (const line of quote.split('\n')) {
    if (isCited(line)) quoted = true;
    else if (quoted && !INVISIBLE.test(line)) return true;
  }
  return false;
}

function markerAt(lines: string[], i: number): Marker | undefined {
  const raw = lines[i]!;
  const quoted = isCited(raw);
  const line = raw.replace(/^(\s*>)+\s?/u, '').trim();
  // no header, delimiter or signature line is this long; skipping keeps the regexes cheap
  if (line === '' || line.length > MAX_MARKER_LINE) return undefined;
  if (NAMED_DELIMITER.test(line) || FORWARD_LINE.test(line) || IN_REPLY_TO.test(line)) return { kind: 'delimiter', span: 1, quoted };
  if (isReplyAboveLine(line)) return { kind: 'delimiter', span: 1, quoted };
  if (!quoted && isSignatureLine(line)) return { kind: 'signature', span: 1, quoted };
  if (!quoted && SYMBOL_DELIMITER.test(line)) return { kind: 'delimiter', span: 1, quoted };
  const header = quoteHeaderSpan(lines, i);
  if (header > 0) return { kind: 'quote_header', span: header, quoted };
  if (!quoted && FROM_HEADER.test(line) && (ONE_LINE_HEADER.test(line) || followedByHeader(lines, i))) return { kind: 'header_block', span: 1, quoted };
  return undefined;
}

/** a line of a ">" quote (the mailing-list "Name>" form is `isQuote`'s) */
function isCited(line: string): boolean {
  return /^\s*>/u.test(line);
}

/** "##- Please type your reply above this line -##": set off by marks, or a bare instruction without a clause */
function isReplyAboveLine(line: string): boolean {
  if (!REPLY_ABOVE.test(line) || !REPLY_WORD.test(line)) return false;
  return /^[^\p{L}\d]+\p{L}/u.test(line) || !/[,;:.!?]/u.test(line);
}

/** the "… wrote:" forms that end in a colon (the caller checked it does) */
function isColonHeader(joined: string): boolean {
  return ON_DATE_WROTE.test(joined) || SOMEONE_WROTE.test(joined) || polishWrittenBy(joined) || addressAtDate(joined) || wroteOnDate(joined);
}

/** Written out rather than as one regex, whose nested ranges backtrack for a second on hostile lines. */
function polishWrittenBy(joined: string): boolean {
  if (!POLISH_OPENING.test(joined)) return false;
  const on = joined.toLowerCase().indexOf(' w dniu ', 25);
  return on >= 0 && on <= 330 && joined.length - on <= 250 && DATE_TO_COLON.test(joined.slice(on));
}

function addressAtDate(joined: string): boolean {
  const at = joined.indexOf(' @ ');
  if (at < 0 || at > 260 || joined.length - at > 170) return false;
  return ENDS_WITH_ADDRESS.test(joined.slice(Math.max(0, at - 120), at).trimEnd()) && DATE_TO_COLON.test(joined.slice(at + 3));
}

function isSignatureLine(line: string): boolean {
  if (!SIGNATURE_LINE.some((re) => re.test(line))) return false;
  if (!SENT_FROM.test(line)) return true;
  // "Sent from my iPhone, please excuse typos" is a signature; "Sent from my desk, is much easier…" and
  // "Envoyé de Paris, le colis…" are sentences
  const [clause, ...rest] = line.split(/[,;]/u);
  return DEVICE_WORDS.test(clause!) || (rest.length === 0 && (OWN_THING.test(clause!) || A_THING.test(clause!)) && !/[.!?]$/u.test(clause!));
}

/** number of lines an "… wrote:" header spans starting at line i, 0 when it is none */
function quoteHeaderSpan(lines: string[], i: number): number {
  let joined = '';
  let nonEmpty = 0;
  for (let k = i; k < Math.min(lines.length, i + HEADER_WINDOW); k++) {
    const part = lines[k]!.replace(/^(\s*>)+/u, '').trim();
    if (part.length > MAX_MARKER_LINE) break;
    if (part === '') {
      // only the "On <date>" form is known to be broken across blank lines
      if (!/^(on|le|am|el|em|op|il|den|dnia)\b/iu.test(joined)) break;
      continue;
    }
    nonEmpty++;
    // a finished sentence, or a short answer ("Ok") above a line that opens a header or is one, is not part
    // of it: clients wrap a header only where it runs long
    if (nonEmpty >= 2 && (/[\p{L}\s][.!?…]+$/u.test(joined) || HEADER_OPENING.test(part) || (joined.length < SHORT_ANSWER && /[:：]$/u.test(part) && isColonHeader(part)))) break;
    joined = joined ? `${joined} ${part}` : part;
    if (joined.length > 600) break;
    // the three "… wrote:" forms end in a colon: testing only such lines keeps their cost off ordinary text
    const colon = /[:：]$/u.test(joined);
    if (
      (colon && isColonHeader(joined)) ||
      DASHED_WROTE.test(joined) ||
      (nonEmpty <= 2 && GMAIL_DATE_HEADER.test(joined) && isLineEnd(lines, k))
    ) {
      return k - i + 1;
    }
  }
  return 0;
}

/**
 * "Name <a@b> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:": an address within the first 200 characters,
 * the verb within 200 after it, a digit within 80 after the verb, the colon within 80 after the digit.
 * Written out rather than as one regex, whose nested ranges backtrack for seconds on long lines.
 */
function wroteOnDate(joined: string): boolean {
  const last = joined.length - 1; // the colon
  for (const m of joined.matchAll(WROTE_WORD)) {
    const start = m.index!;
    // the nearest address mark before the verb that is still among the first 201 characters
    const at = lastIndexOf(joined.slice(0, Math.min(start, 201)), /[@<]/u);
    if (at < 0 || start - at - 1 > 200) continue;
    // the last digit close enough after the verb, so that the colon is nearest to it
    const end = start + m[0].length;
    const digit = lastIndexOf(joined.slice(end, end + 81), /\d/u);
    if (digit >= 0 && last - (end + digit + 1) <= 80) return true;
  }
  return false;
}

function lastIndexOf(text: string, char: RegExp): number {
  for (let i = text.length - 1; i >= 0; i--) if (char.test(text[i]!)) return i;
  return -1;
}

/** a Gmail date header ends where the next line is blank or a quote */
function isLineEnd(lines: string[], k: number): boolean {
  const next = lines[k + 1];
  return next === undefined || next.trim() === '' || isQuote(next) || /[:>]\s*$/u.test(lines[k]!);
}

function followedByHeader(lines: string[], i: number): boolean {
  let seen = 0;
  for (let k = i + 1; k < lines.length && seen < 4; k++) {
    const l = lines[k]!;
    if (l.trim() === '') continue;
    seen++;
    if (OTHER_HEADER.test(l)) return true;
  }
  return false;
}

function isQuote(line: string): boolean {
  return QUOTE_PREFIX.test(line);
}

function hasText(lines: string[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const l = lines[k]!;
    if (!INVISIBLE.test(l) && !isQuote(l)) return true;
  }
  return false;
}

/** quoteEnds[k]: where a quote starting at k ends: the first line at or after k that is neither quoted nor blank */
function quoteEndSuffix(lines: string[]): number[] {
  const out = new Array<number>(lines.length + 1).fill(lines.length);
  for (let k = lines.length - 1; k >= 0; k--) out[k] = isQuote(lines[k]!) || lines[k]!.trim() === '' ? out[k + 1]! : k;
  return out;
}

/** textFrom[k]: some line at or after k is text (neither blank nor quoted) */
function textSuffix(lines: string[]): boolean[] {
  const out = new Array<boolean>(lines.length + 1).fill(false);
  for (let k = lines.length - 1; k >= 0; k--) out[k] = out[k + 1]! || (!INVISIBLE.test(lines[k]!) && !isQuote(lines[k]!));
  return out;
}

function nextContentLine(lines: string[], from: number): number {
  for (let k = from; k < lines.length; k++) if (lines[k]!.trim() !== '') return k;
  return -1;
}

/** a quote left at the very end of a reply that has text of its own is history, not context */
function dropTrailingQuote(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && INVISIBLE.test(lines[end - 1]!)) end--;
  let start = end;
  while (start > 0 && (isQuote(lines[start - 1]!) || lines[start - 1]!.trim() === '')) start--;
  if (start === end || !hasText(lines, 0, start)) return lines;
  return lines.slice(0, start);
}

/**
 * Answers written between quoted lines: the answers are the new text, each block of them apart from the
 * next by one blank line. Only when the quotes are history: a quote header was cut, or answers alternate
 * with two quotes or more. One ">" block amid text may be the customer's own (a command, figures), and a
 * reply made only of quotes is left as it is; lines in code fences are never quotes.
 */
function dropInlineQuotes(all: string[], afterHeader: boolean): string[] {
  const inCode = codeLines(all);
  const quoted = (l: string, k: number) => isCited(l) && !inCode[k];
  if (!all.some((l, k) => !quoted(l, k) && !INVISIBLE.test(l))) return all;
  let blocks = 0;
  for (let k = 0; k < all.length; k++) if (quoted(all[k]!, k) && (k === 0 || !quoted(all[k - 1]!, k - 1))) blocks++;
  if (blocks === 0 || (!afterHeader && blocks < 2)) return all;
  const lines = all.map((l, k) => (quoted(l, k) ? null : l));
  const out: string[] = [];
  // a quote was dropped since the last line kept: one blank line stands for it
  let gap = false;
  for (const l of lines) {
    if (l === null) gap = true;
    else if (!INVISIBLE.test(l)) {
      if (gap) {
        while (out.length > 0 && INVISIBLE.test(out[out.length - 1]!)) out.pop();
        if (out.length > 0) out.push('');
        gap = false;
      }
      out.push(l);
    } else if (!gap) out.push(l);
  }
  return out;
}

function codeLines(lines: string[]): boolean[] {
  let open = false;
  return lines.map((l) => {
    if (CODE_FENCE.test(l)) {
      open = !open;
      return true;
    }
    return open;
  });
}

function stripBlankEdges(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && INVISIBLE.test(lines[start]!)) start++;
  while (end > start && INVISIBLE.test(lines[end - 1]!)) end--;
  return lines
    .slice(start, end)
    .map((l) => l.replace(/\s+$/u, ''))
    .join('\n');
}
