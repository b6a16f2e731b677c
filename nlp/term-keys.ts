/**
 * How words become match keys, shared by lexicon compilation and text matching so both sides agree:
 * lower case, Porter stem, every negation form ("not", "never", "don't", "isnt") folded to "not".
 */
import { stem } from './natural-deps.ts';
import { tokenize, type Token } from './tokenize.ts';

const NEGATION_WORDS = new Set([
  'not', 'no', 'never', 'nobody', 'none', 'nothing', 'neither', 'nor', 'nowhere', 'cannot', 'without',
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'hasnt', 'havent', 'hadnt', 'cant',
  'couldnt', 'wouldnt', 'shouldnt', 'wont', 'aint', 'mustnt', 'neednt',
]);

export function isNegation(word: string): boolean {
  return NEGATION_WORDS.has(word) || word.endsWith("n't");
}

/** "nobody"/"no one" are negations that also name the missing person; keep them distinct for phrases. */
/** Longer "words" are hashes, URLs or junk; Porter is slow on them and there is nothing to stem. */
const MAX_STEMMED_LENGTH = 40;

export function wordKey(word: string): string {
  if (word.length > MAX_STEMMED_LENGTH) return word;
  if (word === 'nobody' || word === 'noone') return 'nobody';
  if (isNegation(word)) return 'not';
  if (word.includes("'")) {
    // "order's" → "order"; other clitics ("i'm", "we've") keep their head word
    return stem(word.slice(0, word.indexOf("'")));
  }
  return stem(word);
}

/** Marks a clause edge in a key sequence so phrases never match across sentences. */
export const BOUNDARY_KEY = '|';

export function tokenKeys(tokens: readonly Token[]): string[] {
  return tokens.map((t) => (t.kind === 'word' ? wordKey(t.norm) : BOUNDARY_KEY));
}

/** Keys of a lexicon phrase, written by an admin ("track my order" → ["track", "my", "order"]). */
export function phraseKeys(phrase: string): string[] {
  return tokenize(phrase)
    .filter((t) => t.kind === 'word')
    .map((t) => wordKey(t.norm));
}
