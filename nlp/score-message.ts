/**
 * All scores for one message from one tokenization: sentiment, frustration, category, keywords, urgency.
 * Text beyond MAX_SCORED_CHARS is not scored; `truncated` and the explanation say so.
 */
import type { KeywordMatcher, KeywordHit } from './keyword-matcher.ts';
import { scoreSentimentTokens } from './sentiment.ts';
import { capText } from './text-limit.ts';
import { tokenize } from './tokenize.ts';

export interface MessageScores {
  sentiment: number;
  frustrated: boolean;
  category: string | null;
  categoryScores: Record<string, number>;
  /** matched lexicon terms (categories and urgency) */
  keywords: string[];
  urgency: number;
  /** extra-term groups that matched (routing rules' keywords) → weight */
  groups: Record<string, number>;
  hits: KeywordHit[];
  truncated: boolean;
  scoredChars: number;
  explanation: string[];
}

export function scoreMessage(text: string, matcher: KeywordMatcher): MessageScores {
  const capped = capText(text);
  const tokens = tokenize(capped.text);
  const sentiment = scoreSentimentTokens(tokens);
  const kw = matcher.matchTokens(tokens);
  const explanation = [...sentiment.explanation];
  if (capped.truncated) {
    explanation.push(`text is ${capped.originalLength} characters; scored the first ${capped.text.length} only`);
  }
  return {
    sentiment: sentiment.score,
    frustrated: sentiment.frustrated,
    category: kw.best,
    categoryScores: kw.categories,
    keywords: kw.hits.filter((h) => h.kind !== 'extra').map((h) => h.term),
    urgency: kw.urgency,
    groups: kw.groups,
    hits: kw.hits,
    truncated: capped.truncated,
    scoredChars: capped.text.length,
    explanation,
  };
}
