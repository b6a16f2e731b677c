import { describe, expect, it } from 'vitest';
import { scoreSentiment } from '../../../nlp/sentiment.ts';
import { plainAfinnScore } from '../../../nlp/natural-deps.ts';
import { tokenize } from '../../../nlp/tokenize.ts';

const s = (t: string): number => scoreSentiment(t).score;

describe('scoreSentiment', () => {
  it('returns 0 and not frustrated for empty or neutral text', () => {
    expect(scoreSentiment('')).toMatchObject({ score: 0, frustrated: false });
    expect(scoreSentiment('My order number is 12345.')).toMatchObject({ score: 0, frustrated: false });
  });

  it('keeps the score within [-1, 1] however much is piled up', () => {
    const angry = 'terrible awful horrible worst disgusting '.repeat(200);
    const happy = 'great wonderful excellent amazing perfect '.repeat(200);
    expect(s(angry)).toBeGreaterThanOrEqual(-1);
    expect(s(angry)).toBeLessThan(-0.99);
    expect(s(happy)).toBeLessThanOrEqual(1);
    expect(s(happy)).toBeGreaterThan(0.99);
  });

  it('is not diluted by length the way plain AFINN is', () => {
    const filler = 'I ordered it on Monday and it came in a box with the manual and the cable. '.repeat(20);
    const text = `${filler} It is broken and useless.`;
    expect(s(text)).toBeLessThan(-0.5);
    expect(Math.abs(plainAfinnScore(text))).toBeLessThan(0.05);
  });

  describe('negation', () => {
    it('flips a word inside its scope', () => {
      expect(s('good')).toBeGreaterThan(0);
      expect(s('not good')).toBeLessThan(0);
      expect(s('This is not bad')).toBeGreaterThan(0);
    });

    it('understands contractions and apostrophe variants', () => {
      for (const t of ["I don't like it", 'I dont like it', 'It isn’t good', "It wasn't helpful", "They can't be trusted"]) {
        expect(s(t), t).toBeLessThan(0);
      }
    });

    it('ends at the clause boundary instead of flipping the rest of the text', () => {
      // plain AFINN flips "love" too, after the first "not"
      expect(s('Not what I expected. I love it, great product!')).toBeGreaterThan(0.5);
      expect(plainAfinnScore('Not what I expected. I love it, great product!')).toBeLessThan(0);
    });

    it('ends after a few words', () => {
      const near = s('I did not think it was good');
      const far = s('I did not expect that after all these long weeks it would be good');
      expect(near).toBeLessThan(0);
      expect(far).toBeGreaterThan(0);
    });

    it('reads "still not" as both a complaint and a negation', () => {
      expect(s('still not happy')).toBeLessThan(s('not happy'));
    });
  });

  it('weights intensifiers and diminishers', () => {
    expect(s('very bad')).toBeLessThan(s('bad'));
    expect(s('slightly bad')).toBeGreaterThan(s('bad'));
    expect(s('extremely good')).toBeGreaterThan(s('good'));
  });

  it('counts what follows "but" more than what precedes it', () => {
    expect(s('The delivery was fast but the product is bad')).toBeLessThan(0);
    expect(s('The product is bad but the support was great')).toBeGreaterThan(0);
    expect(scoreSentiment('fast but bad').explanation.join(' ')).toContain('"but"');
  });

  it('amplifies words in capitals, but not a message written all in capitals word by word', () => {
    expect(s('This is BAD')).toBeLessThan(s('This is bad'));
    const allCaps = scoreSentiment('THIS IS BAD');
    expect(allCaps.explanation.join(' ')).toContain('whole message in capitals');
  });

  it('amplifies with exclamation marks', () => {
    expect(s('This is bad!!!')).toBeLessThan(s('This is bad.'));
    expect(s('This is great!!!')).toBeGreaterThan(s('This is great.'));
    expect(s('Hello!!!')).toBe(0);
  });

  it('scores emoji and emoticons', () => {
    expect(s('ok 😡')).toBeLessThan(-0.5);
    expect(s('thanks 👍')).toBeGreaterThan(0.5);
    expect(s('it broke :(')).toBeLessThan(s('it broke'));
    expect(s('see you :)')).toBeGreaterThan(0);
  });

  describe('support vocabulary', () => {
    it.each([
      'I am still waiting for an answer',
      'This is the third time I write to you',
      'My order was cancelled',
      'I want a refund',
      'Nobody answers the phone',
      'no one replies to my emails',
      'The parcel never arrived',
      "the package didn't arrive",
      'the app does not work',
      'I have been charged twice',
    ])('%s is negative', (t) => {
      expect(s(t)).toBeLessThan(-0.2);
    });

    it('treats polite requests as neutral, not positive', () => {
      for (const t of ['I would like to change my address', 'Can you help me with my invoice?', 'Please help me reset my password']) {
        expect(s(t), t).toBeLessThanOrEqual(0);
        expect(s(t), t).toBeGreaterThan(-0.3);
      }
    });

    it('is positive for thanks and things working again', () => {
      expect(s('Thanks, it works now!')).toBeGreaterThan(0.5);
    });
  });

  describe('frustration flag', () => {
    it('is set for repeated contact, shouting, or anger emoji with negative sentiment', () => {
      expect(scoreSentiment('Third time I am writing and still no answer.').frustrated).toBe(true);
      expect(scoreSentiment('This is RIDICULOUS, my parcel is LATE again').frustrated).toBe(true);
      expect(scoreSentiment('my order is late 😡').frustrated).toBe(true);
      expect(scoreSentiment('Where is my refund?!').frustrated).toBe(true);
    });

    it('is not set for a mild complaint or a happy shout', () => {
      expect(scoreSentiment('The box was a bit damaged.').frustrated).toBe(false);
      expect(scoreSentiment('THANK YOU SO MUCH!!!').frustrated).toBe(false);
    });

    it('names its signals in the explanation', () => {
      const r = scoreSentiment('Still waiting!! Nobody answers.');
      expect(r.explanation.join('\n')).toMatch(/frustration signals: .*Still waiting/);
      expect(r.explanation).toContain('frustrated');
    });
  });

  it('explains each contribution', () => {
    const r = scoreSentiment("It isn't good");
    expect(r.explanation.some((e) => e.includes('"good"') && e.includes('negated by "isn\'t"'))).toBe(true);
    expect(r.explanation.at(-1)).toMatch(/score/);
  });

  it('scores only the first 16 KB of a 1 MB text, quickly, and says so', () => {
    const huge = 'Everything is terrible and broken. '.repeat(30_000);
    expect(huge.length).toBeGreaterThan(1_000_000);
    const t0 = performance.now();
    const r = scoreSentiment(huge);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.score).toBeLessThan(-0.9);
    expect(r.explanation.join(' ')).toMatch(/scored the first 16384 of 1050000 characters/);
  });
});

describe('tokenize', () => {
  it('splits words, numbers, emoji, emoticons and punctuation', () => {
    expect(tokenize("Order123 didn't come :( 😡!!").map((t) => `${t.kind}:${t.norm}`)).toEqual([
      'word:order', 'word:123', "word:didn't", 'word:come', 'emoji::(', 'emoji:😡', 'punct:!!',
    ]);
  });

  it('does not read a colon in a time as an emoticon', () => {
    expect(tokenize('at 10:30').map((t) => t.kind)).toEqual(['word', 'word', 'punct', 'word']);
  });

  it('keeps @mentions and links whole, apart from words; an email address is words', () => {
    expect(tokenize('@SkyloAir see https://x.example.com/a?b=1. mail ann@example.com').map((t) => `${t.kind}:${t.norm}`)).toEqual([
      'mention:@SkyloAir', 'word:see', 'link:https://x.example.com/a?b=1', 'punct:.', 'word:mail', 'word:ann', 'word:example', 'punct:.', 'word:com',
    ]);
  });
});

describe('short messages that say no feeling in words', () => {
  it.each([
    'flight cancelled again',
    'been on hold for 2 hours',
    'still no bag',
    '3rd time asking',
    'where is my refund',
    'no one answers the phone',
    'great, another delay 🙄',
    '@NordRail train stuck outside the station for 40 mins #fail',
    'why does it take 3 weeks to process a return?',
  ])('%s is negative, and the trace says which features moved the model', (t) => {
    const r = scoreSentiment(t);
    expect(r.score).toBeLessThan(0);
    expect(r.explanation.join('\n')).toMatch(/model: p\(negative\) 0\.\d\d, threshold [\d.]+ \(bias [-\d.]+, .+\) → negative/u);
  });

  it.each(['no problems at all, thanks!', 'not bad at all, fixed in five minutes', 'never had an issue with you guys'])('%s is not negative', (t) => {
    expect(scoreSentiment(t).score).toBeGreaterThanOrEqual(0);
  });

  it('reads no company into a mention or a link', () => {
    const explanation = scoreSentiment('@AwfulAir my flight https://terrible.example.com/x is today').explanation.join('\n');
    expect(explanation).not.toMatch(/awful|terrible/iu);
  });
});
