/**
 * One linear pass that splits text into words, emoji, emoticons and clause punctuation. Both the sentiment
 * scorer and the keyword matcher consume these tokens, so a message is tokenized once.
 */

/** `mention` (@handle) and `link` (a URL) are tokens so that their words are not read as words */
export type TokenKind = 'word' | 'emoji' | 'punct' | 'mention' | 'link';

export interface Token {
  kind: TokenKind;
  /** as written (apostrophes normalised to ') */
  raw: string;
  /** lower-cased word, the emoji/emoticon itself, the punctuation run, or the mention or link as written */
  norm: string;
}

// Alternatives are tried left to right at each position; each is a simple class run, so matching is
// linear in the input. Emoticons come before punctuation so ":(" is not read as ":" then "(".
const EMOJI = '(\\p{Extended_Pictographic}(?:\\uFE0F|\\u200D\\p{Extended_Pictographic}|\\p{Emoji_Modifier})*)';
const EMOTICON = '((?<![\\p{L}\\p{N}])(?:[:;=]-?[()\\[\\]DPpOo/\\\\|]|<\\/?3)(?![\\p{L}\\p{N}]))';
const MENTION = '((?<![\\p{L}\\p{N}.])@[\\p{L}\\p{N}_]+)';
// a link ends at a space, a quote, a bracket or a comma, and leaves a sentence's last mark outside
const LINK = '((?:[Hh][Tt][Tt][Pp][Ss]?:\\/\\/|[Ww][Ww][Ww]\\.)[^\\s<>"\'(),]*[^\\s<>"\'(),.;:!?\\]])';
const WORD = '(\\p{L}+(?:\'\\p{L}+)*|\\p{N}+)';
const PUNCT = '([!?.,;:]+|\\n)';
const TOKEN_RE = new RegExp([EMOJI, EMOTICON, MENTION, LINK, WORD, PUNCT].join('|'), 'gu');
/** the words and marks inside a mention or a link, for keyword matching */
const INNER_RE = new RegExp(`${WORD}|${PUNCT}`, 'gu');

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const normalized = text.replace(/[\u2018\u2019\u02BC`]/g, "'");
  for (const m of normalized.matchAll(TOKEN_RE)) {
    const [raw, emoji, emoticon, mention, link, word, punct] = m;
    if (emoji !== undefined || emoticon !== undefined) tokens.push({ kind: 'emoji', raw, norm: raw });
    else if (mention !== undefined) tokens.push({ kind: 'mention', raw, norm: raw });
    else if (link !== undefined) tokens.push({ kind: 'link', raw, norm: raw });
    else if (word !== undefined) tokens.push({ kind: 'word', raw, norm: word.toLowerCase() });
    else if (punct !== undefined) tokens.push({ kind: 'punct', raw, norm: punct });
  }
  return tokens;
}

/** The words and marks a mention or link is made of ("@AcmeHelp" → acmehelp; a URL's host and path words). */
export function innerTokens(token: Token): Token[] {
  const tokens: Token[] = [];
  for (const m of token.raw.matchAll(INNER_RE)) {
    const [raw, word] = m;
    tokens.push(word !== undefined ? { kind: 'word', raw, norm: word.toLowerCase() } : { kind: 'punct', raw, norm: raw });
  }
  return tokens;
}

/** True for words written in capitals that carry meaning ("NEVER", not "I" or "OK"). */
export function isShouted(token: Token): boolean {
  return token.kind === 'word' && token.raw.length >= 3 && /\p{Lu}/u.test(token.raw) && !/\p{Ll}/u.test(token.raw);
}
