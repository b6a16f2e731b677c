/** The routing configuration as the rules API shows it (see routing/rule.types.ts and gateway/schemas/rule.schema.ts). */
import type { Static } from 'typebox';
import type { AuditPage, RuleDocumentSchema, RuleHitsSchema, SimulateBody, SimulateResult as SimulateResultSchema, VersionPage } from '../../../../gateway/schemas/rule.schema.ts';
import type { TraceEntry } from '../../../../routing/evaluate-rules.ts';
import type { Rule, RuleConditions } from '../../../../routing/rule.types.ts';
import type { ReplayEvent as ServerReplayEvent, ReplayMove } from '../../../../gateway/rules/rule-replay.ts';

export type { NumberRange, Priority, RuleActions } from '../../../../routing/rule.types.ts';
export type { ReplayMove, Rule, RuleConditions, TraceEntry };

export type ConditionChannel = NonNullable<RuleConditions['channel']>[number];
export type ConditionCaseState = NonNullable<NonNullable<RuleConditions['case']>['state']>[number];

/** the values the condition editor offers, in order */
export const RULE_CHANNELS = ['chat', 'email', 'sms', 'slack'] as const satisfies readonly ConditionChannel[];
export const RULE_CASE_STATES = ['new', 'open', 'awaiting_customer', 'resolved', 'closed'] as const satisfies readonly ConditionCaseState[];

export type RuleDocument = Static<typeof RuleDocumentSchema>;

export type Lexicon = RuleDocument['lexicon'];

export type Term = Lexicon['categories'][string][number];

export type LexiconTerm = Exclude<Term, string>;

export type RuleHit = Static<typeof RuleHitsSchema>['items'][number];

export type RuleVersion = Static<typeof VersionPage>['items'][number];

export type AuditEntry = Static<typeof AuditPage>['items'][number];

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

/** one problem of a refused change: `rules[3].when.sentiment.below`, or relative to the rule ("when.keywords[0]") */
export interface RuleProblem {
  path: string;
  message: string;
}

export type SimulateInput = Static<typeof SimulateBody>;

/** the schema leaves each trace step open; it is the router's TraceEntry */
export type SimulateResult = Omit<Static<typeof SimulateResultSchema>, 'trace'> & { trace: TraceEntry[] };

/** the parts of a draft a replay puts in place of the live ones */
export interface ReplayDraft {
  rules?: Rule[];
  lexicon?: Lexicon;
}

export type Placement = ReplayMove['from'];

export type ReplayExample = ReplayMove['examples'][number];

export type ReplayResult = Extract<ServerReplayEvent, { type: 'result' }>;

/** the replay stream's events, and the error it ends with when the replay fails */
export type ReplayEvent = ServerReplayEvent | { type: 'error'; error: { code: string; message: string } };
