/** The routing configuration as the rules API shows it (see routing/rule.types.ts and gateway/schemas/rule.schema.ts). */

export const RULE_CHANNELS = ['chat', 'email', 'sms', 'slack'] as const;
export const RULE_CASE_STATES = ['new', 'open', 'awaiting_customer', 'resolved', 'closed'] as const;
export type Priority = 1 | 2 | 3 | 4;

export interface NumberRange {
  atLeast?: number;
  atMost?: number;
}

export interface RuleConditions {
  channel?: string[];
  keywords?: string[];
  matches?: { pattern: string; flags?: string };
  category?: string[];
  sentiment?: { below?: number; above?: number };
  frustrated?: boolean;
  urgency?: NumberRange;
  contact?: { tier?: string[]; vip?: boolean; emailDomain?: string[]; accountName?: string[]; known?: boolean };
  businessHours?: 'inside' | 'outside';
  case?: { state?: string[]; isNew?: boolean; priority?: NumberRange; tags?: string[]; inboundCount?: NumberRange };
}

export interface RuleActions {
  queue?: string;
  priority?: Priority;
  category?: string;
  tags?: string[];
  requiredSkills?: string[];
  autoReplyTemplate?: string;
}

export interface Rule {
  id: string;
  name?: string;
  enabled?: boolean;
  when: RuleConditions;
  then: RuleActions;
}

export interface LexiconTerm {
  term: string;
  weight?: number;
}

export type Term = string | LexiconTerm;

export interface Lexicon {
  categories: Record<string, Term[]>;
  urgency?: Term[];
  minScore?: number;
}

export interface RuleDocument {
  version: number;
  author: string;
  updatedAt: string;
  rules: Rule[];
  lexicon: Lexicon;
  templates: Record<string, string>;
  businessHours: unknown;
}

export interface RuleHit {
  ruleId: string;
  last24h: number;
  last7d: number;
  lastMatchAt: string | null;
}

export interface RuleVersion {
  version: number;
  author: string;
  change: string;
  createdAt: string;
}

export interface AuditEntry {
  id: number;
  version: number;
  actor: string;
  actorRole: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

/** one problem of a refused change: `rules[3].when.sentiment.below`, or relative to the rule ("when.keywords[0]") */
export interface RuleProblem {
  path: string;
  message: string;
}

export interface SimulateInput {
  channel: string;
  from: string;
  subject?: string;
  text: string;
  contact?: { tier?: string | null; vip?: boolean };
  case?: { state: string; priority: Priority; tags?: string[]; inboundCount?: number };
  at?: string;
}

export type TraceEntry =
  | {
      kind: 'scores';
      sentiment: number;
      frustrated: boolean;
      category: string | null;
      categoryScores: Record<string, number>;
      urgency: number;
      keywords: string[];
      truncated: boolean;
      explanation: string[];
    }
  | { kind: 'rule'; ruleId: string; name?: string; matched: boolean; reasons: string[]; applied: string[] }
  | { kind: 'skipped'; count: number; reason: string }
  | { kind: 'queue'; queue: string; reason: string }
  | { kind: 'priority'; priority: number; points: number; explanation: string[] };

export interface SimulateResult {
  queue: string;
  priority: number;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  requiredSkills: string[];
  autoReply: { template: string; text: string } | null;
  version: number;
  contact: Record<string, unknown> | null;
  trace: TraceEntry[];
}

/** the parts of a draft a replay puts in place of the live ones */
export interface ReplayDraft {
  rules?: Rule[];
  lexicon?: Lexicon;
}

export interface Placement {
  queue: string;
  priority: number;
}

export interface ReplayExample {
  interactionId: string;
  caseNumber: string;
  channel: string;
  subject: string | null;
  text: string;
  at: string;
}

export interface ReplayMove {
  from: Placement;
  to: Placement;
  count: number;
  examples: ReplayExample[];
}

export interface ReplayResult {
  type: 'result';
  total: number;
  changed: number;
  queueChanged: number;
  priorityChanged: number;
  moves: ReplayMove[];
  liveVersion?: number;
  elapsedMs: number;
}

export type ReplayEvent =
  | { type: 'progress'; done: number; total: number }
  | ReplayResult
  | { type: 'error'; error: { code: string; message: string } };
