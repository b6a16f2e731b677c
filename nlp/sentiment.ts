/**
 * Sentiment for support messages, in two parts. The words' score is built on AFINN-165 but fixes what
 * natural's analyzer gets wrong:
 *  - the score is a saturating sum (x / √(x² + 15)), so a long message is not diluted towards zero;
 *  - a negation ("not", "never", "don't", "isn't", "without") flips and damps only the next
 *    NEGATION_SCOPE_WORDS words of its clause, not everything after it;
 *  - intensifiers ("very") and diminishers ("slightly") scale the next sentiment word;
 *  - after "but"/"however" the clause counts 1.5×, before it 0.5×;
 *  - words IN CAPITALS count 1.5×, exclamation marks amplify their sentence, emoji and emoticons score;
 *  - support phrases ("still waiting", "third time", "nobody answers", "refund") score as a unit and
 *    some of them are frustration signals.
 * Then a small learned model (sentiment-model.ts) reads the message's words, pairs, openings, emoji and
 * punctuation with that score, and decides the side where the two disagree: a complaint the words do not
 * say ("flight cancelled again 🙄") turns negative, negative words in praise ("no problems at all") turn 0.
 * The trace keeps both accounts.
 */
import { afinnWords, patternWords, stem } from './natural-deps.ts';
import { PhraseTrie } from './phrase-trie.ts';
import {
  AFTER_CONTRAST_WEIGHT,
  ANGER_EMOJI,
  BEFORE_CONTRAST_WEIGHT,
  CONTRAST_WORDS,
  EMOJI_VALENCE,
  INTENSIFIERS,
  NEGATION_FACTOR,
  NEGATION_SCOPE_WORDS,
  SUPPORT_PHRASES,
  WORD_OVERRIDES,
  type SentimentPhrase,
} from './sentiment-lexicon.ts';
import { capText } from './text-limit.ts';
import { isNegation, phraseKeys, tokenKeys } from './term-keys.ts';
import { isShouted, tokenize, type Token } from './tokenize.ts';
import { sentimentFeatures } from './sentiment-features.ts';
import { judgeNegative } from './sentiment-model.ts';

export interface SentimentResult {
  /** −1 (furious) … 1 (delighted); 0 when nothing scored */
  score: number;
  frustrated: boolean;
  /** every contribution and signal, in reading order, for the routing trace */
  explanation: string[];
}

// VADER's normalisation constant: a raw sum of ±4 (one strong word) lands near ±0.72.
const NORMALIZE_ALPHA = 15;
const CAPS_FACTOR = 1.5;
const EXCLAMATION_STEP = 0.3;
const MAX_EXCLAMATIONS = 4;
const PATTERN_SCALE = 3;
const PATTERN_MIN = 0.5;
/** how far a complaint the model hears, but the words do not say, takes the score: −p × 0.6 */
const MIN_MODEL_SCORE = 0.05;
/** below this the model overrules negative words ("no problems at all"); between it and ½ the words stand */
const CLEARLY_NOT_NEGATIVE = 0.2;
/** a words' score this positive is turned negative only by a model this sure */
const CLEAR_PRAISE = 0.5;
const SURE_AGAINST_PRAISE = 0.75;
const MODEL_SCORE_SCALE = 0.6;
/** frustrated when clearly negative with a signal, or very negative on its own */
const FRUSTRATED_WITH_SIGNAL = -0.25;
const FRUSTRATED_ALONE = -0.75;

const phraseTrie = new PhraseTrie<SentimentPhrase>();
for (const p of SUPPORT_PHRASES) phraseTrie.add(phraseKeys(p.phrase), p);

// Stems let "hated" find "hate", but Porter also folds "useful" into "us" and "rightful" into "right": a
// word reaches another's valence only through a plain inflection of a stem of four letters or more.
const INFLECTIONS = new Set(['', 's', 'es', 'ed', 'd', 'ing', 'e', 'ly', 'y', 'ies', 'ied', 'er', 'ers']);
const MIN_STEM = 4;
const stemmedAfinn = new Map<string, number>();
for (const [word, valence] of afinnWords) {
  const s = stem(word);
  if (s.length < MIN_STEM || !word.startsWith(s) || !INFLECTIONS.has(word.slice(s.length))) continue;
  // prefer the word that is its own stem ("hate" over "hated") when several share one
  if (!stemmedAfinn.has(s) || s === word) stemmedAfinn.set(s, valence);
}
for (const [word, valence] of WORD_OVERRIDES) stemmedAfinn.set(stem(word), valence);

function wordValence(word: string, key: string): number | undefined {
  return (
    WORD_OVERRIDES.get(word) ??
    afinnWords.get(word) ??
    (key.length >= MIN_STEM ? stemmedAfinn.get(key) : undefined) ??
    patternValence(word)
  );
}

function patternValence(word: string): number | undefined {
  const p = patternWords.get(word);
  // pattern.en's weak entries are noise for support text ("game" −0.4, "many" +0.5)
  return p !== undefined && Math.abs(p) >= PATTERN_MIN ? p * PATTERN_SCALE : undefined;
}

function fmt(n: number): string {
  return (n > 0 ? '+' : '') + Number(n.toFixed(2)).toString();
}

function isSentenceEnd(t: Token): boolean {
  return t.kind === 'punct' && /[.!?\n]/.test(t.norm);
}

export function scoreSentiment(text: string): SentimentResult {
  const capped = capText(text);
  const result = scoreSentimentTokens(tokenize(capped.text));
  if (capped.truncated) {
    result.explanation.push(`scored the first ${capped.text.length} of ${capped.originalLength} characters`);
  }
  return result;
}

/** Same as scoreSentiment, for callers that already tokenized (score-message shares one pass). */
export function scoreSentimentTokens(tokens: readonly Token[]): SentimentResult {
  const keys = tokenKeys(tokens);
  const lexicon = lexiconSentiment(tokens, keys);
  const judged = judgeNegative(sentimentFeatures(tokens, keys), lexicon.score);
  const explanation = [...lexicon.explanation, judged.explanation];
  let score = lexicon.score;
  // the words' sum keeps its size where the model agrees on the side; where not, the model decides it
  // clear praise in words ("Great service, thank you!") takes a surer model to turn
  const flips = judged.negative && (score < CLEAR_PRAISE || judged.p >= SURE_AGAINST_PRAISE);
  if (flips && score >= 0) {
    score = -Math.max(MIN_MODEL_SCORE, Number((judged.p * MODEL_SCORE_SCALE).toFixed(3)));
    explanation.push(`score ${fmt(score)}: the model hears a complaint the words do not say`);
  } else if (judged.p < CLEARLY_NOT_NEGATIVE && score < 0) {
    score = 0;
    explanation.push('score 0: the model hears no complaint in these negative words');
  } else explanation.push(`score ${fmt(score)}`);
  const frustrated = score <= FRUSTRATED_ALONE || (score <= FRUSTRATED_WITH_SIGNAL && lexicon.signals.length > 0);
  if (frustrated) explanation.push('frustrated');
  return { score, frustrated, explanation };
}

interface LexiconSentiment {
  /** the words' saturated sum, −1 … 1 */
  score: number;
  /** signs the customer is fed up: phrases, capitals, anger emoji, "!!" */
  signals: string[];
  explanation: string[];
}

/** The words' own account: AFINN and our support phrases, with negation, contrast, capitals and emphasis. */
export function lexiconSentiment(tokens: readonly Token[], keys: readonly string[]): LexiconSentiment {
  const explanation: string[] = [];
  const signals: string[] = [];
  const words = tokens.filter((t) => t.kind === 'word');
  const allCaps = words.length >= 3 && words.every((t) => !/\p{Ll}/u.test(t.raw)) && words.some(isShouted);

  let total = 0;
  let sentence: number[] = [];
  let weight = 1;
  let negatedBy: string | null = null;
  let negationLeft = 0;
  let boost = 1;
  let boostLeft = 0;
  let shouted = 0;
  let exclamations = 0;

  const add = (value: number, what: string): void => {
    sentence.push(value * weight);
    explanation.push(`${what} ${fmt(value * weight)}${weight !== 1 ? ` (×${weight} after contrast)` : ''}`);
  };
  const endSentence = (punct: string): void => {
    let sum = sentence.reduce((a, b) => a + b, 0);
    const bangs = Math.min((punct.match(/!/g) ?? []).length, MAX_EXCLAMATIONS);
    if (bangs > 0 && sum !== 0) {
      const extra = Math.sign(sum) * bangs * EXCLAMATION_STEP;
      sum += extra;
      explanation.push(`"${punct}" amplifies its sentence ${fmt(extra)}`);
    }
    total += sum;
    sentence = [];
    weight = 1;
    negationLeft = 0;
    boostLeft = 0;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct') {
      exclamations += (t.norm.match(/!/g) ?? []).length;
      if (/!!|\?!|!\?/.test(t.norm)) signals.push(`"${t.norm}"`);
      if (isSentenceEnd(t)) endSentence(t.norm);
      else negationLeft = 0; // a comma or colon closes the clause a negation governs
      continue;
    }
    if (t.kind === 'emoji') {
      const v = EMOJI_VALENCE.get(t.norm);
      if (v !== undefined) add(v, t.norm);
      if (ANGER_EMOJI.has(t.norm)) signals.push(t.norm);
      continue;
    }
    if (t.kind !== 'word') continue;

    const phrase = phraseTrie.longestAt(keys, i);
    if (phrase) {
      const p = phrase.values[0]!;
      const span = tokens.slice(i, i + phrase.length).map((x) => x.raw).join(' ');
      let v = p.valence;
      if (negationLeft > 0 && v !== 0) v *= NEGATION_FACTOR;
      if (v !== 0 || p.frustration) add(v, `"${span}"${negationLeft > 0 && p.valence !== 0 ? ` negated by "${negatedBy}"` : ''}`);
      if (p.frustration) signals.push(`"${span}"`);
      negationLeft = keys[i + phrase.length - 1] === 'not' ? NEGATION_SCOPE_WORDS : Math.max(0, negationLeft - phrase.length);
      if (keys[i + phrase.length - 1] === 'not') negatedBy = span;
      i += phrase.length - 1;
      continue;
    }

    const word = t.norm;
    if (CONTRAST_WORDS.has(word)) {
      sentence = sentence.map((v) => v * BEFORE_CONTRAST_WEIGHT);
      weight = AFTER_CONTRAST_WEIGHT;
      negationLeft = 0;
      explanation.push(`"${t.raw}": before ×${BEFORE_CONTRAST_WEIGHT}, after ×${AFTER_CONTRAST_WEIGHT}`);
      continue;
    }
    if (isNegation(word)) {
      negatedBy = t.raw;
      negationLeft = NEGATION_SCOPE_WORDS;
      continue;
    }
    const intensity = INTENSIFIERS.get(word);
    if (intensity !== undefined) {
      boost = intensity;
      boostLeft = 2;
      if (negationLeft > 0) negationLeft--;
      continue;
    }

    const base = wordValence(word, keys[i]!);
    if (base !== undefined && base !== 0) {
      let v = base;
      const notes: string[] = [];
      if (boostLeft > 0) {
        v *= boost;
        notes.push(`×${boost}`);
        boostLeft = 0;
      }
      if (isShouted(t) && !allCaps) {
        v *= CAPS_FACTOR;
        notes.push('capitals');
      }
      if (negationLeft > 0) {
        v *= NEGATION_FACTOR;
        notes.push(`negated by "${negatedBy}"`);
      }
      add(v, `"${t.raw}"${notes.length ? ` (${notes.join(', ')})` : ''}`);
    } else if (boostLeft > 0) {
      boostLeft--;
    }
    if (isShouted(t)) shouted++;
    if (negationLeft > 0) negationLeft--;
  }
  endSentence('');

  if (allCaps) {
    total *= 1.3;
    explanation.push('whole message in capitals ×1.3');
    signals.push('all capitals');
  } else if (shouted >= 2) {
    signals.push(`${shouted} words in capitals`);
  }
  if (exclamations >= 3) signals.push(`${exclamations} exclamation marks`);

  const score = total === 0 ? 0 : Number((total / Math.sqrt(total * total + NORMALIZE_ALPHA)).toFixed(3));
  const uniqueSignals = [...new Set(signals)];
  explanation.push(`raw ${fmt(total)} → words' score ${fmt(score)}`);
  if (uniqueSignals.length > 0) explanation.push(`frustration signals: ${uniqueSignals.join(', ')}`);
  return { score, signals: uniqueSignals, explanation };
}
