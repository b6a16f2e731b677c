/**
 * Our own sentiment vocabulary on top of AFINN-165 (valences on AFINN's −5…5 scale). Written for customer
 * service: what matters is how a customer sounds about their problem, not whether a product is praised.
 */

export interface SentimentPhrase {
  phrase: string;
  valence: number;
  /** a sign the customer is fed up with *us*, not just unhappy (counts towards the frustration flag) */
  frustration?: boolean;
}

/**
 * Phrases win over the words they contain. Negation forms are written "not" ("not arrive" also matches
 * "didn't arrive", "hasn't arrived", "never arrived"); words are matched on their stems.
 */
export const SUPPORT_PHRASES: readonly SentimentPhrase[] = [
  // waiting and repeating
  { phrase: 'still waiting', valence: -3, frustration: true },
  { phrase: 'been waiting', valence: -2, frustration: true },
  { phrase: 'keep waiting', valence: -2.5, frustration: true },
  { phrase: 'still not', valence: -2.5, frustration: true },
  { phrase: 'still no', valence: -2.5, frustration: true },
  { phrase: 'still nothing', valence: -3, frustration: true },
  { phrase: 'still broken', valence: -3, frustration: true },
  { phrase: 'still have not', valence: -2.5, frustration: true },
  { phrase: 'second time', valence: -1.5, frustration: true },
  { phrase: 'third time', valence: -3, frustration: true },
  { phrase: 'fourth time', valence: -3.5, frustration: true },
  { phrase: 'fifth time', valence: -3.5, frustration: true },
  { phrase: 'how many times', valence: -3, frustration: true },
  { phrase: 'how many more times', valence: -3.5, frustration: true },
  { phrase: 'yet again', valence: -2, frustration: true },
  { phrase: 'once again', valence: -1.5, frustration: true },
  { phrase: 'again and again', valence: -3, frustration: true },
  { phrase: 'multiple times', valence: -1.5, frustration: true },
  { phrase: 'several times', valence: -1.5, frustration: true },
  { phrase: 'for weeks', valence: -1.5 },
  { phrase: 'for days', valence: -1 },
  { phrase: 'for ages', valence: -2 },
  { phrase: 'for months', valence: -2 },
  { phrase: 'on hold', valence: -1.5 },
  // nobody answers
  { phrase: 'nobody answer', valence: -3, frustration: true },
  { phrase: 'nobody respond', valence: -3, frustration: true },
  { phrase: 'nobody replies', valence: -3, frustration: true },
  { phrase: 'nobody get back', valence: -3, frustration: true },
  { phrase: 'nobody help', valence: -3, frustration: true },
  { phrase: 'nobody call', valence: -2.5, frustration: true },
  { phrase: 'nobody is answer', valence: -3, frustration: true },
  { phrase: 'no one answer', valence: -3, frustration: true },
  { phrase: 'no one respond', valence: -3, frustration: true },
  { phrase: 'no one replies', valence: -3, frustration: true },
  { phrase: 'no one get back', valence: -3, frustration: true },
  { phrase: 'no one help', valence: -3, frustration: true },
  { phrase: 'no one is answer', valence: -3, frustration: true },
  { phrase: 'no response', valence: -2.5, frustration: true },
  { phrase: 'no reply', valence: -2.5, frustration: true },
  { phrase: 'no answer', valence: -2, frustration: true },
  { phrase: 'not heard back', valence: -2.5, frustration: true },
  { phrase: 'not hear back', valence: -2.5, frustration: true },
  { phrase: 'never heard back', valence: -3, frustration: true },
  { phrase: 'not get back to me', valence: -2.5, frustration: true },
  { phrase: 'not respond', valence: -2.5, frustration: true },
  { phrase: 'ignoring me', valence: -3, frustration: true },
  { phrase: 'hung up', valence: -2, frustration: true },
  // money and orders gone wrong
  { phrase: 'refund', valence: -1.5 },
  { phrase: 'money back', valence: -2 },
  { phrase: 'charged twice', valence: -3 },
  { phrase: 'double charged', valence: -3 },
  { phrase: 'overcharged', valence: -2.5 },
  { phrase: 'chargeback', valence: -2.5 },
  { phrase: 'cancelled', valence: -1.5 },
  { phrase: 'canceled', valence: -1.5 },
  { phrase: 'not arrive', valence: -2.5 },
  { phrase: 'not receive', valence: -2.5 },
  { phrase: 'not deliver', valence: -2.5 },
  { phrase: 'not show up', valence: -2.5 },
  { phrase: 'never came', valence: -2.5 },
  { phrase: 'wrong item', valence: -2 },
  { phrase: 'wrong order', valence: -2 },
  { phrase: 'wrong size', valence: -1.5 },
  { phrase: 'arrived broken', valence: -3 },
  { phrase: 'arrived damaged', valence: -3 },
  { phrase: 'late', valence: -1 },
  { phrase: 'overdue', valence: -1.5 },
  // things that do not work
  { phrase: 'not work', valence: -2.5 },
  { phrase: 'stop work', valence: -2.5 },
  { phrase: 'stopped working', valence: -2.5 },
  { phrase: 'not fix', valence: -2 },
  { phrase: 'not resolved', valence: -2 },
  { phrase: 'unresolved', valence: -2 },
  { phrase: 'keeps crashing', valence: -3 },
  { phrase: 'keep crash', valence: -3 },
  { phrase: 'keeps failing', valence: -3 },
  { phrase: 'broke', valence: -2 },
  { phrase: 'junk', valence: -2.5 },
  { phrase: 'crap', valence: -3 },
  { phrase: 'bug', valence: -1 },
  { phrase: 'glitch', valence: -1.5 },
  { phrase: 'waste of time', valence: -3, frustration: true },
  { phrase: 'waste of money', valence: -3 },
  // the customer is done with us
  { phrase: 'fed up', valence: -3, frustration: true },
  { phrase: 'sick of', valence: -3, frustration: true },
  { phrase: 'tired of', valence: -2.5, frustration: true },
  { phrase: 'had enough', valence: -2.5, frustration: true },
  { phrase: 'enough is enough', valence: -3, frustration: true },
  { phrase: 'speak to a manager', valence: -2, frustration: true },
  { phrase: 'talk to a manager', valence: -2, frustration: true },
  { phrase: 'your supervisor', valence: -1.5, frustration: true },
  { phrase: 'escalate', valence: -1.5, frustration: true },
  { phrase: 'lawyer', valence: -2.5, frustration: true },
  { phrase: 'legal action', valence: -3, frustration: true },
  { phrase: 'file a complaint', valence: -2.5, frustration: true },
  { phrase: 'formal complaint', valence: -2.5, frustration: true },
  { phrase: 'never again', valence: -3 },
  { phrase: 'go elsewhere', valence: -2 },
  { phrase: 'going elsewhere', valence: -2 },
  { phrase: 'beyond frustrating', valence: -3.5, frustration: true },
  { phrase: 'this is a joke', valence: -3, frustration: true },
  { phrase: 'joke', valence: -1 },
  // neutral in support even though AFINN scores their words
  { phrase: 'would like', valence: 0 },
  { phrase: "i'd like", valence: 0 },
  { phrase: 'customer support', valence: 0 },
  { phrase: 'customer care', valence: 0 },
  { phrase: 'tech support', valence: 0 },
  { phrase: 'support team', valence: 0 },
  { phrase: 'need help', valence: 0 },
  { phrase: 'need some help', valence: 0 },
  { phrase: 'help me', valence: 0 },
  { phrase: 'can you help', valence: 0 },
  { phrase: 'could you help', valence: 0 },
  { phrase: 'please help', valence: -0.5 },
  { phrase: 'free shipping', valence: 0 },
  { phrase: 'no problem', valence: 2 },
  { phrase: 'no worries', valence: 1.5 },
  { phrase: 'not bad', valence: 1.5 },
  { phrase: 'not only', valence: 0 },
  { phrase: 'no doubt', valence: 1 },
  { phrase: 'works now', valence: 2 },
  { phrase: 'working now', valence: 2 },
  { phrase: 'problem solved', valence: 2 },
  { phrase: 'well done', valence: 2.5 },
  { phrase: 'thank you', valence: 2 },
  // review vocabulary AFINN lacks
  { phrase: 'return it', valence: -1.5 },
  { phrase: 'returned it', valence: -2 },
  { phrase: 'sent it back', valence: -2 },
  { phrase: 'send it back', valence: -2 },
  { phrase: 'do not buy', valence: -3 },
  { phrase: 'not recommend', valence: -2.5 },
  { phrase: 'not worth', valence: -2.5 },
  { phrase: 'not even', valence: -1.5 },
  { phrase: 'at all', valence: 0 },
  { phrase: 'mediocre', valence: -2 },
  { phrase: 'bland', valence: -2 },
  { phrase: 'tasteless', valence: -2 },
  { phrase: 'rude', valence: -2.5 },
  { phrase: 'cheap', valence: -1 },
  { phrase: 'flimsy', valence: -2 },
  { phrase: 'overpriced', valence: -2 },
  { phrase: 'unreliable', valence: -2 },
  { phrase: 'uncomfortable', valence: -2 },
  { phrase: 'slow', valence: -1.5 },
  { phrase: 'too long', valence: -1.5 },
  { phrase: 'only thing', valence: -0.5 },
  { phrase: 'not waste', valence: -3 },
  { phrase: 'save your money', valence: -2.5 },
  { phrase: 'not buy', valence: -2.5 },
  { phrase: 'not be fooled', valence: -2.5 },
  { phrase: 'not enough', valence: -1.5 },
  { phrase: 'not get', valence: -1.5 },
  { phrase: 'not got', valence: -1.5 },
  { phrase: 'poor quality', valence: -3 },
  { phrase: 'low quality', valence: -2.5 },
  { phrase: 'bad quality', valence: -3 },
  { phrase: 'good quality', valence: 2.5 },
  { phrase: 'high quality', valence: 2.5 },
  { phrase: 'trash', valence: -2.5 },
  { phrase: 'garbage', valence: -2.5 },
  { phrase: 'piece of junk', valence: -3 },
  { phrase: 'freezes', valence: -1.5 },
  { phrase: 'lock up', valence: -1.5 },
  { phrase: 'disapointing', valence: -2 },
  { phrase: 'dissapointing', valence: -2 },
  { phrase: 'unfortunately', valence: -1.5 },
];

/** Words that turn the next few words around. Contractions are negations too (see term-keys). */
export const NEGATION_SCOPE_WORDS = 4;
/** What a negated valence becomes: flipped and damped ("not good" is bad, but less bad than "bad"). */
export const NEGATION_FACTOR = -0.7;

export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.4], ['really', 1.4], ['so', 1.3], ['extremely', 1.6], ['incredibly', 1.6], ['super', 1.4],
  ['totally', 1.4], ['absolutely', 1.5], ['completely', 1.5], ['utterly', 1.6], ['truly', 1.3],
  ['highly', 1.4], ['most', 1.3], ['too', 1.3], ['seriously', 1.4], ['terribly', 1.5], ['awfully', 1.5],
  ['way', 1.2], ['such', 1.3], ['quite', 1.1], ['entirely', 1.4], ['especially', 1.2],
  ['slightly', 0.6], ['somewhat', 0.7], ['bit', 0.7], ['little', 0.8], ['kinda', 0.7], ['sort', 0.8],
  ['fairly', 0.8], ['barely', 0.6], ['partly', 0.7],
]);

/** Words after which what follows counts more than what came before ("fast, but it broke"). */
export const CONTRAST_WORDS = new Set(['but', 'however', 'yet', 'although', 'though']);
export const BEFORE_CONTRAST_WEIGHT = 0.5;
export const AFTER_CONTRAST_WEIGHT = 1.5;

export const EMOJI_VALENCE: ReadonlyMap<string, number> = new Map([
  ['😡', -4], ['🤬', -5], ['😠', -3.5], ['😤', -3], ['👿', -3], ['💢', -3], ['🖕', -4],
  ['😞', -2.5], ['😢', -2.5], ['😭', -3], ['😩', -3], ['😫', -3], ['😒', -2], ['🙄', -2], ['😑', -1.5],
  ['😐', -0.5], ['😕', -1.5], ['🙁', -2], ['☹', -2], ['☹️', -2], ['😣', -2.5], ['😖', -2.5], ['🤦', -2.5],
  ['👎', -3], ['💩', -3], ['😔', -2], ['😟', -2], ['😧', -2], ['😬', -1],
  ['😀', 2], ['😃', 2], ['😄', 2.5], ['😁', 2], ['🙂', 1.5], ['😊', 2.5], ['😍', 3], ['🥰', 3], ['😎', 1.5],
  ['👍', 2.5], ['👏', 2], ['🙏', 1.5], ['❤', 3], ['❤️', 3], ['💯', 2.5], ['🎉', 2.5], ['⭐', 1.5], ['✅', 1],
  ['😂', 1.5], ['🤣', 1.5], ['😉', 1],
  [':(', -2], [':-(', -2], [':[', -2], [';(', -2], [":'(", -2.5], ['=(', -2], [':/', -1], [':-/', -1],
  [':|', -0.5], ['>:(', -3.5], [':)', 2], [':-)', 2], [';)', 1], [';-)', 1], [':D', 2.5], [':-D', 2.5],
  ['=)', 2], ['<3', 3], [':P', 1], [':p', 1],
]);

/** Emoji that show anger rather than sadness: a frustration signal on their own. */
export const ANGER_EMOJI = new Set(['😡', '🤬', '😠', '😤', '👿', '💢', '🖕', '🤦', '🙄', '>:(']);

/** AFINN words whose usual valence is wrong in a support conversation. */
export const WORD_OVERRIDES: ReadonlyMap<string, number> = new Map([
  ['help', 0], ['support', 0], ['please', 0], ['want', 0], ['care', 0], ['free', 0], ['like', 1.5],
  ['no', 0], ['yes', 0], ['urgent', 0], ['cancel', -0.5], ['pay', 0], ['share', 0], ['cut', 0],
  ['account', 0], ['charged', -1.5], ['charge', 0], ['charging', 0], ['charges', 0], ['using', 0], ['question', 0], ['questions', 0], ['matter', 0], ['interested', 0],
]);
