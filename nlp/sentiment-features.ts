/**
 * What the learned part of the sentiment scorer reads in a message: named, binary features, so that its
 * every decision can be told as "these features, these weights". Training (nlp/scripts/train-sentiment.ts)
 * and scoring use this one function, so both see a message alike.
 *  - `w:<stem>`: a word (stems; every negation is "not", numbers are "#"); `b:<stem> <stem>`: two words in a
 *    row within a clause, `b:^ <stem>` a sentence's first word (openings such as "why", "great", "thanks");
 *  - `e:<emoji>`: an emoji or emoticon; `p:!!`, `p:??`, `p:?!`: repeated or mixed punctuation; `p:?`: a question;
 *  - `c:caps`: a word in capitals; `c:allcaps`: the whole message.
 * @mentions and links are left out: they name companies and pages, not feelings. Only the first MAX_WORDS
 * words are read.
 */
import { isShouted, type Token } from './tokenize.ts';

/**
 * Words read, from the start: the model is for what short messages say, and a long mail states its
 * complaint early (its words' score still reads it all). Keeps the cost per message bounded.
 */
const MAX_WORDS = 60;

export function sentimentFeatures(tokens: readonly Token[], keys: readonly string[]): Set<string> {
  const out = new Set<string>();
  let previous: string | null = '^';
  let words = 0;
  let shouted = 0;
  let lower = 0;
  for (let i = 0; i < tokens.length && words < MAX_WORDS; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word') {
      const first = t.norm.charCodeAt(0);
      const key = first >= 48 && first <= 57 ? '#' : keys[i]!;
      out.add(`w:${key}`);
      if (previous !== null) out.add(`b:${previous} ${key}`);
      previous = key;
      words++;
      // a word as written differs from its lower case only when it has capitals; numbers have no case
      if (key === '#') continue;
      if (t.raw === t.norm || !isShouted(t)) lower++;
      else shouted++;
    } else if (t.kind === 'emoji') {
      out.add(`e:${t.norm}`);
    } else if (t.kind === 'punct') {
      if (t.norm.includes('?')) out.add('p:?');
      if (/!!/u.test(t.norm)) out.add('p:!!');
      if (/\?\?/u.test(t.norm)) out.add('p:??');
      if (/\?!|!\?/u.test(t.norm)) out.add('p:?!');
      // a sentence ends, or a clause: the next word opens one
      previous = /[.!?\n]/u.test(t.norm) ? '^' : null;
    }
    // mentions and links neither count nor break a clause
  }
  if (shouted > 0) out.add(words >= 3 && lower === 0 ? 'c:allcaps' : 'c:caps');
  return out;
}
