/**
 * The routing configuration as the API shows and takes it. Request schemas check shapes only: the rules'
 * own validator checks the content and names the exact path of each problem.
 */
import { Type, type Static } from 'typebox';
import type { Lexicon } from '../../nlp/keyword-matcher.ts';
import type { BusinessHours } from '../../routing/business-hours.ts';
import type { RoutingContact } from '../../routing/evaluate-rules.ts';
import type { CalendarHoursRef, Rule, RuleActions, RuleConditions } from '../../routing/rule.types.ts';
import type { RuleAuditView, RuleSetVersionView } from '../../store/rule-set.repository.ts';
import type { RuleSetDocument } from '../rules/rules.service.ts';
import { CASE_STATES } from '../../routing/case-state.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';
import { LimitQuery, Nullable, OpenObject, Page, Ref, StringEnum, type Assert, type SameShape } from './common.schema.ts';

const When = OpenObject<RuleConditions>('conditions, all of which must hold: channel, keywords, matches, category, sentiment, frustrated, urgency, contact, businessHours, case');
const Then = OpenObject<RuleActions>('actions: queue, priority, category, tags, requiredSkills, autoReplyTemplate');
const Lexicon = OpenObject<Lexicon>('categories (name → terms), urgency terms, minScore');
const Templates = Type.Record(Type.String(), Type.String(), { description: 'template name → text; {{caseNumber}}, {{name}}, {{queue}}, {{subject}}, {{backAt}} (when a closed team is back, on its calendar; "soon" when unknown) are filled in' });
const BusinessHoursSchema = OpenObject<BusinessHours | CalendarHoursRef | null>(
  'timezone, days, open, close, holidays; or {"calendar": "<calendar id>" | "default"}: a business calendar’s hours (holidays, split and overnight windows); null: always open',
  { nullable: true },
);

export const RuleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.Optional(Type.String()),
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    when: When,
    then: Then,
  },
  { $id: 'Rule' },
);

export const RuleDocumentSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    author: Type.String(),
    updatedAt: Type.String({ format: 'date-time' }),
    rules: Type.Array(Ref(RuleSchema)),
    lexicon: Lexicon,
    templates: Templates,
    businessHours: BusinessHoursSchema,
  },
  { $id: 'RuleDocument', description: 'the routing configuration of one version' },
);

export type RuleSchemaMatchesType = Assert<SameShape<Static<typeof RuleSchema>, Rule>>;
export type RuleDocumentSchemaMatchesType = Assert<SameShape<Static<typeof RuleDocumentSchema>, RuleSetDocument>>;

export const RuleIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1 }) });

/** `?version=N`: refuse the change (409 VERSION_CONFLICT) unless the rules are still at version N */
export const ExpectVersionQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, description: 'refuse the change unless the rules are still at this version' })) },
  { additionalProperties: false },
);

export const RuleCreateBody = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  enabled: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, description: 'default: before the catch-all rule' })),
  when: When,
  then: Then,
});

export const RulePatchBody = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ description: 'null removes the name' }))),
    enabled: Type.Optional(Type.Boolean()),
    when: Type.Optional(When),
    then: Type.Optional(Then),
    position: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ConfigPatchBody = Type.Object(
  {
    rules: Type.Optional(Type.Unsafe<Rule[]>({ type: 'array', description: 'the whole list, in order' })),
    lexicon: Type.Optional(Lexicon),
    templates: Type.Optional(Type.Unsafe<Record<string, string>>({ type: 'object', description: 'template name → text' })),
    businessHours: Type.Optional(BusinessHoursSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ReplayBody = Type.Object(
  {
    rules: ConfigPatchBody.properties.rules,
    lexicon: ConfigPatchBody.properties.lexicon,
    templates: ConfigPatchBody.properties.templates,
    businessHours: ConfigPatchBody.properties.businessHours,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'the newest stored customer messages to replay' })),
  },
  { additionalProperties: false },
);

export const RuleHitsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      ruleId: Type.String(),
      last24h: Type.Integer({ description: 'customer messages the rule matched in the last 24 hours' }),
      last7d: Type.Integer({ description: '… in the last 7 days' }),
      lastMatchAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
});

export const RuleAtPosition = Type.Object({ version: Type.Integer(), position: Type.Integer({ minimum: 0 }), rule: Ref(RuleSchema) });
export const RuleDeleted = Type.Object({ version: Type.Integer({ description: 'the new version, without the rule' }) });

const VersionSchema = Type.Object({
  version: Type.Integer(),
  author: Type.String(),
  change: Type.String({ description: 'what the change did, e.g. "rule vip-desk created at position 0"' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const AuditSchema = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  actor: Type.String(),
  actorRole: Type.String(),
  action: Type.String({ description: 'e.g. rule.created, rule.updated, rule.deleted, config.updated, config.restored' }),
  target: Nullable(Type.String()),
  before: Type.Unknown({ description: 'the rule (or parts) before the change' }),
  after: Type.Unknown({ description: 'the rule (or parts) after the change' }),
  at: Type.String({ format: 'date-time' }),
});

export type VersionSchemaMatchesView = Assert<SameShape<Static<typeof VersionSchema>, RuleSetVersionView>>;
export type AuditSchemaMatchesView = Assert<SameShape<Static<typeof AuditSchema>, RuleAuditView>>;

export const VersionPageQuery = Type.Object(
  { limit: Type.Optional(LimitQuery), cursor: Type.Optional(Type.Integer({ minimum: 1, description: '`nextCursor` of the previous page' })) },
  { additionalProperties: false },
);
export const AuditPageQuery = Type.Object(
  { ...VersionPageQuery.properties, rule: Type.Optional(Type.String({ maxLength: 100, description: 'only this rule’s changes' })) },
  { additionalProperties: false },
);

export const VersionPage = Page(VersionSchema, Type.Integer());
export const AuditPage = Page(AuditSchema, Type.Integer());

export const SimulateBody = Type.Object(
  {
    channel: StringEnum(CHANNEL_NAMES),
    from: Type.String({ minLength: 1, maxLength: 320, description: 'the sender’s address on that channel' }),
    subject: Type.Optional(Type.String({ maxLength: 1000 })),
    text: Type.String({ description: 'at most 64 KB of UTF-8' }),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
          email: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
          tier: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          vip: Type.Optional(Type.Boolean()),
          accountName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        },
        { additionalProperties: false, description: 'what to assume about the sender; absent: the stored contact writing from `from`' },
      ),
    ),
    case: Type.Optional(
      Type.Object(
        {
          state: StringEnum(CASE_STATES),
          priority: Type.Unsafe<1 | 2 | 3 | 4>(Type.Integer({ minimum: 1, maximum: 4 })),
          tags: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
          inboundCount: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false, description: 'simulate a follow-up on a case like this; absent: the message opens a new case' },
      ),
    ),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'the moment to decide for (business hours); absent: now' })),
  },
  { additionalProperties: false },
);

const RoutingContactSchema = Type.Object({
  name: Type.Optional(Nullable(Type.String())),
  email: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String())),
  tier: Type.Optional(Nullable(Type.String())),
  vip: Type.Optional(Type.Boolean()),
  accountName: Type.Optional(Nullable(Type.String())),
});

export type RoutingContactSchemaMatchesType = Assert<SameShape<Static<typeof RoutingContactSchema>, RoutingContact>>;

export const SimulateResult = Type.Object({
  queue: Type.String(),
  priority: Type.Integer({ minimum: 1, maximum: 4 }),
  category: Nullable(Type.String()),
  sentiment: Type.Number({ minimum: -1, maximum: 1 }),
  frustrated: Type.Boolean(),
  tags: Type.Array(Type.String()),
  requiredSkills: Type.Array(Type.String()),
  autoReply: Nullable(Type.Object({ template: Type.String(), text: Type.String({ description: 'as it would be sent' }) })),
  version: Type.Integer({ description: 'the rules version that decided' }),
  contact: Nullable(RoutingContactSchema),
  trace: Type.Array(OpenObject('one step: kind scores, rule, skipped, queue or priority, with its reasons')),
});

export const SHARED_RULE_SCHEMAS = [RuleSchema, RuleDocumentSchema];
