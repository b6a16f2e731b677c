/**
 * Request body limits by what a route takes. The default fits every admin and agent request; routes
 * that carry a message text or a whole rule set say so. Unauthenticated requests never reach the
 * body at all (authentication runs in `onRequest`).
 */
export const BODY_LIMITS = {
  /** queues, agents, tokens, one rule, case changes */
  default: 64 * 1024,
  /** a message text of 64 KB in UTF-8 may be up to six times longer as escaped JSON */
  messageText: 512 * 1024,
  /** a whole rule set with its lexicon and templates: thousands of rules */
  ruleSet: 1024 * 1024,
} as const;
