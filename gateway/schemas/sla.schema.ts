/**
 * SLA policies as the API shows and takes them. Request schemas check shapes; the policies' own check
 * (routing/sla-policy-check.ts) checks content and names the path of each problem.
 */
import { Type } from 'typebox';
import { CASE_STATES } from '../../routing/case-state.ts';
import { Nullable, Ref, StringEnum } from './common.schema.ts';

const Duration = Type.String({ minLength: 2, maxLength: 40, description: 'ISO 8601, e.g. PT4H, PT15M, PT30S, P1DT2H' });
const OneOrMany = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T, description: string) =>
  Type.Optional(Type.Union([t, Type.Array(t, { maxItems: 100 })], { description }));
const Name = Type.String({ minLength: 1, maxLength: 100 });

const Match = Type.Object(
  {
    priority: OneOrMany(Type.Integer({ minimum: 1, maximum: 4 }), 'any of these priorities'),
    channel: OneOrMany(Type.String({ maxLength: 40 }), 'any of these channels'),
    queue: OneOrMany(Type.String({ maxLength: 200 }), 'any of these queues, by name'),
    category: OneOrMany(Type.String({ maxLength: 100 }), 'any of these categories'),
    tags: OneOrMany(Type.String({ maxLength: 100 }), 'the case has any of these tags'),
    tier: OneOrMany(Type.String({ maxLength: 100 }), 'the account is of any of these tiers'),
    vip: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: 'every condition given must hold (each list: any of); empty: every case' },
);

const Action = Type.Union([
  Type.Object({ type: Type.Literal('priority'), value: Type.Integer({ minimum: 1, maximum: 4, description: 'raise to this; a higher priority is kept' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('tag'), value: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('queue'), value: Type.String({ minLength: 1, maxLength: 200, description: 'queue name' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('assign'), value: Type.String({ minLength: 1, maxLength: 100, description: 'an agent id, or "supervisor" (a supervisor of the case’s queue)' }) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('notify'),
      channel: StringEnum(['slack', 'console', 'email'] as const),
      to: Type.Optional(
        Type.String({ minLength: 1, maxLength: 254, description: 'slack: a channel id or a user id (a DM); default: the queue’s channel. email: the address (required)' }),
      ),
    },
    { additionalProperties: false },
  ),
]);

const Escalation = Type.Object(
  {
    when: StringEnum(['warning', 'breach'] as const),
    target: StringEnum(['firstResponse', 'nextResponse', 'resolution', 'any'] as const),
    actions: Type.Array(Action, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);

const policyFields = {
  name: Name,
  enabled: Type.Optional(Type.Boolean({ description: 'default true; a disabled policy is never selected' })),
  match: Type.Optional(Match),
  calendar: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'a calendar id; "case": the account’s calendar, else the queue’s, else the default (the default); null: calendar time' }))),
  targets: Type.Object(
    { firstResponse: Type.Optional(Duration), nextResponse: Type.Optional(Duration), resolution: Type.Optional(Duration) },
    { additionalProperties: false, description: 'at least one' },
  ),
  warnBefore: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'an ISO 8601 duration before due (PT10M), or a share of the target ("25%"); null: no warning' }))),
  pauseStates: Type.Optional(Type.Array(StringEnum(CASE_STATES), { maxItems: 5, description: 'states in which the clocks stand still; default ["awaiting_customer"]' })),
  escalations: Type.Optional(Type.Array(Escalation, { maxItems: 20 })),
  position: Type.Optional(Type.Integer({ minimum: 0, description: 'where in the order (0: first); default: last' })),
};

export const SlaPolicyCreateBody = Type.Object(policyFields, { additionalProperties: false });
export const SlaPolicyPatchBody = Type.Object(
  { ...policyFields, name: Type.Optional(Name), targets: Type.Optional(policyFields.targets) },
  { additionalProperties: false, minProperties: 1 },
);

export const SlaPolicySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    enabled: Type.Optional(Type.Boolean()),
    match: Type.Object(
      {
        priority: Type.Optional(Type.Array(Type.Integer())),
        channel: Type.Optional(Type.Array(Type.String())),
        queue: Type.Optional(Type.Array(Type.String())),
        category: Type.Optional(Type.Array(Type.String())),
        tags: Type.Optional(Type.Array(Type.String())),
        tier: Type.Optional(Type.Array(Type.String())),
        vip: Type.Optional(Type.Boolean()),
      },
    ),
    calendar: Nullable(Type.String()),
    targets: Type.Object({ firstResponse: Type.Optional(Type.String()), nextResponse: Type.Optional(Type.String()), resolution: Type.Optional(Type.String()) }),
    warnBefore: Nullable(Type.String()),
    pauseStates: Type.Array(Type.String()),
    escalations: Type.Array(Escalation),
  },
  { $id: 'SlaPolicy' },
);

export const SlaPolicyList = Type.Object({ version: Type.Integer(), items: Type.Array(Ref(SlaPolicySchema)) });

export const SlaVersionList = Type.Object({
  items: Type.Array(Type.Object({ version: Type.Integer(), author: Type.String(), change: Type.String(), createdAt: Type.String({ format: 'date-time' }) })),
});
export const SlaVersionDetail = Type.Object({
  version: Type.Integer(),
  author: Type.String(),
  change: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  items: Type.Array(Ref(SlaPolicySchema)),
});
export const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1 }) });

export const SlaSimulateBody = Type.Object(
  {
    priority: Type.Integer({ minimum: 1, maximum: 4 }),
    channel: Type.String({ minLength: 1, maxLength: 40 }),
    queue: Type.Optional(Type.String({ maxLength: 200, description: 'default General' })),
    category: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
    tier: Type.Optional(Type.String({ maxLength: 100, description: 'default standard' })),
    vip: Type.Optional(Type.Boolean()),
    accountCalendar: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'the account’s calendar id, if it has one' }))),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'when the case opens; default now' })),
    policies: Type.Optional(Type.Array(SlaPolicyCreateBody, { maxItems: 100, description: 'a draft list to try instead of the policies in force' })),
  },
  { additionalProperties: false },
);

const DueTimes = Nullable(Type.Object({ dueAt: Type.String({ format: 'date-time' }), warnAt: Nullable(Type.String({ format: 'date-time' })) }));
export const SlaSimulation = Type.Object({
  policy: Nullable(Type.String()),
  trace: Type.Array(Type.String(), { description: 'one line per policy tried: why it applied or not' }),
  calendar: Nullable(Type.String()),
  firstResponse: DueTimes,
  nextResponse: DueTimes,
  resolution: DueTimes,
});

export const SHARED_SLA_SCHEMAS = [SlaPolicySchema];
