/**
 * The only door to `natural`. Its index loads database drivers and dotenv, so we deep-require just the
 * files we use: the AFINN-165 vocabulary (through SentimentAnalyzer, which owns it), the pattern.en
 * adjective lexicon, the Porter stemmer, and the word tokenizer the plain-AFINN baseline needs.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface NaturalAnalyzer {
  vocabulary: Record<string, number>;
  getSentiment(words: string[]): number;
}
type AnalyzerCtor = new (language: string, stemmer: null, type: string) => NaturalAnalyzer;
interface PatternEntry {
  polarity: string;
}

const SentimentAnalyzer = require('natural/lib/natural/sentiment/SentimentAnalyzer.js') as AnalyzerCtor;
const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(word: string): string };
const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as {
  WordTokenizer: new () => { tokenize(text: string): string[] };
};
const patternEn = require('natural/lib/natural/sentiment/English/pattern-sentiment-en.json') as Record<
  string,
  PatternEntry
>;

const afinnAnalyzer = new SentimentAnalyzer('English', null, 'afinn');
const wordTokenizer = new WordTokenizer();

/** AFINN-165 word → valence in −5…5. */
export const afinnWords: ReadonlyMap<string, number> = new Map(Object.entries(afinnAnalyzer.vocabulary));

/** pattern.en single words → polarity in −1…1 (only entries with a polarity). */
export const patternWords: ReadonlyMap<string, number> = new Map(
  Object.entries(patternEn)
    .filter(([word, e]) => /^[a-z]+$/.test(word) && Number(e.polarity) !== 0)
    .map(([word, e]) => [word, Number(e.polarity)]),
);

// Porter is pure but not cheap; a bounded memo keeps hot support vocabulary fast.
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = porter.stem(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** The baseline we measure against: natural's AFINN analyzer as shipped (sum of valences / token count). */
export function plainAfinnScore(text: string): number {
  const words = wordTokenizer.tokenize(text);
  return words.length === 0 ? 0 : afinnAnalyzer.getSentiment(words);
}
