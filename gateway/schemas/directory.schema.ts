/** Queues, agents and API tokens: what the API shows and what it takes. */
import { Type, type Static } from 'typebox';
import type { AgentView, QueueView } from '../../store/directory.repository.ts';
import { ROLES } from '../../store/token.repository.ts';
import { CHANNEL_NAMES, type ChannelName } from '../../channels/channel.types.ts';
import { Nullable, Ref, StringEnum, type Assert, type SameShape } from './common.schema.ts';

const STRATEGIES = ['round_robin', 'least_loaded', 'best_skilled', 'manual'] as const;
/** online: takes offers; busy and break: at work but takes none (a break says why and until when); away: set by the gateway after missed offers; offline */
const PRESENCES = ['online', 'busy', 'break', 'away', 'offline'] as const;

const OverflowAction = Type.Union([
  Type.Object({ type: Type.Literal('relaxSkills') }, { additionalProperties: false, description: 'drop the case’s required skills' }),
  Type.Object({ type: Type.Literal('widen'), queues: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 }) }, { additionalProperties: false, description: 'agents of these queues may take it too' }),
  Type.Object({ type: Type.Literal('move'), queue: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false, description: 'move it to this queue (its own steps apply from there)' }),
  Type.Object({ type: Type.Literal('priority'), value: Type.Integer({ minimum: 1, maximum: 4 }) }, { additionalProperties: false, description: 'raise its priority to this' }),
  Type.Object({ type: Type.Literal('alert') }, { additionalProperties: false, description: 'tell the consoles (an assignment.alert frame)' }),
]);

const OverflowStepSchema = Type.Object(
  {
    afterSeconds: Type.Integer({ minimum: 1, maximum: 30 * 86_400, description: 'seconds the case has waited (since it opened, was reopened or released)' }),
    actions: Type.Array(OverflowAction, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);

export const QueueSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    strategy: Type.String({ enum: [...STRATEGIES] }),
    slackChannel: Nullable(Type.String({ description: 'the Slack channel its cards go to' })),
    ackTemplate: Nullable(Type.String({ description: 'acknowledgement sent when a case opens in this queue' })),
    offerTimeoutSeconds: Nullable(Type.Integer({ description: 'null: the OFFER_TIMEOUT_SECONDS default' })),
    calendarId: Nullable(Type.String({ description: 'the business calendar of its team; null: the default calendar' })),
    wrapUpSeconds: Type.Integer({ description: 'after an agent resolves a case of this queue, no offer for this long' }),
    maxOfferRounds: Type.Integer({ description: 'rounds of offers nobody took before the case is tagged no-taker and the consoles are told' }),
    broadcastOffers: Type.Integer({ description: 'a chat case is offered to this many eligible agents at once; the first to accept takes it and the others’ offers end (1: one at a time)' }),
    serviceLevelSeconds: Type.Integer({ description: 'the service level’s target: a case first answered within this many seconds of opening is answered in time' }),
    overflow: Type.Array(OverflowStepSchema, { description: 'what happens to a case that waits too long, in steps' }),
    agingSeconds: Nullable(Type.Integer({ description: 'a waiting case’s priority rises by one each this many seconds (to 1); null: no aging' })),
  },
  { $id: 'Queue' },
);

const capacityDescription = 'open cases an agent takes at once: one number for all channels, or a number per channel';

export const AgentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Nullable(Type.String()),
    role: Type.String({ enum: [...ROLES] }),
    slackUserId: Nullable(Type.String()),
    skills: Type.Array(Type.String()),
    skillLevels: Type.Record(Type.String(), Type.Integer({ minimum: 1, maximum: 5 }), { description: 'level 1 to 5 per skill (lower case); a skill without one is 3' }),
    queues: Type.Array(Type.String({ description: 'queue name' })),
    capacity: Type.Unsafe<AgentView['capacity']>({
      description: capacityDescription,
      anyOf: [{ type: 'integer' }, { type: 'object', additionalProperties: { type: 'integer' } }],
    }),
    presence: Type.String({ enum: [...PRESENCES] }),
    presenceReason: Nullable(Type.String({ description: 'why on a break or away (e.g. "lunch", "missed 3 offers in a row")' })),
    presenceUntil: Nullable(Type.String({ format: 'date-time', description: 'when a break is expected to end' })),
    wrapUpUntil: Nullable(Type.String({ format: 'date-time', description: 'no offers before this: the wrap-up after a resolved case' })),
    active: Type.Boolean({ description: 'false: deactivated by an admin (no sign-in, no tokens, no offers)' }),
  },
  { $id: 'Agent' },
);

export type QueueSchemaMatchesView = Assert<SameShape<Static<typeof QueueSchema>, QueueView>>;
export type AgentSchemaMatchesView = Assert<SameShape<Static<typeof AgentSchema>, AgentView>>;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const queueFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  strategy: Type.Optional(StringEnum(STRATEGIES)),
  slackChannel: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  ackTemplate: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  offerTimeoutSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 5, maximum: 86_400 }))),
  calendarId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  wrapUpSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600, description: 'default 0' })),
  maxOfferRounds: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'default 3' })),
  broadcastOffers: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'default 1: one agent at a time' })),
  serviceLevelSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400, description: 'default 300' })),
  overflow: Type.Optional(Type.Array(OverflowStepSchema, { maxItems: 20, description: 'steps in order of afterSeconds; default none' })),
  agingSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 86_400, description: 'default null: no aging' }))),
};

export const QueueCreateBody = Type.Object(queueFields, { additionalProperties: false });
export const QueuePatchBody = Type.Object({ ...queueFields, name: Type.Optional(queueFields.name) }, { additionalProperties: false, minProperties: 1 });

const Presence = StringEnum(PRESENCES);

const agentFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
  role: Type.Optional(StringEnum(ROLES)),
  slackUserId: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
  skillLevels: Type.Optional(
    Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Integer({ minimum: 1, maximum: 5 }), {
      maxProperties: 100,
      description: 'level 1 (learning) to 5 (expert) per skill; best_skilled queues prefer the highest; default 3',
    }),
  ),
  queues: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'queue names' })),
  capacity: Type.Optional(
    Type.Unsafe<number | Partial<Record<ChannelName, number>>>({
      description: capacityDescription,
      oneOf: [
        { type: 'integer', minimum: 0, maximum: 1000 },
        { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 1000 }, propertyNames: { enum: [...CHANNEL_NAMES] } },
      ],
    }),
  ),
  presence: Type.Optional(Presence),
};

export const AgentCreateBody = Type.Object(agentFields, { additionalProperties: false });
export const AgentPatchBody = Type.Object(
  {
    ...agentFields,
    name: Type.Optional(agentFields.name),
    active: Type.Optional(
      Type.Boolean({ description: 'false deactivates: signed out everywhere, password and tokens ended, offline; true reactivates (then invite again)' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AgentFields = Static<typeof AgentPatchBody>;

export const InviteSchema = Type.Object({
  url: Type.String({ description: 'the one-time link to set a password and sign in to the workspace' }),
  expiresAt: Type.String({ format: 'date-time' }),
  emailedTo: Nullable(Type.String({ description: 'the address the link is being mailed to (SMTP_URL is set); null: hand the link over yourself' })),
});

export const AgentCreated = Type.Object({
  ...AgentSchema.properties,
  token: Type.String({ description: 'the agent’s API token; shown this once' }),
  invite: Nullable(InviteSchema),
});

export const PresenceBody = Type.Object(
  {
    presence: Presence,
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'why (a break’s "lunch", say)' })),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, description: 'how long a break is expected to last (shown; the agent comes back by setting online)' })),
  },
  { additionalProperties: false },
);

export const Me = Type.Object({
  role: Type.String({ enum: [...ROLES] }),
  agent: Type.Unsafe<AgentView | null>({ anyOf: [{ $ref: 'Agent#' }, { type: 'null' }], description: 'null for a token of no agent' }),
});

export const TokenBody = Type.Object(
  {
    role: StringEnum(ROLES),
    agentId: Type.Optional(Type.String({ maxLength: 100 })),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const TokenCreated = Type.Object({
  id: Type.String(),
  role: Type.String({ enum: [...ROLES] }),
  token: Type.String({ description: 'shown this once; only its hash is stored' }),
});

export const TokenList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      role: Type.String({ enum: [...ROLES] }),
      label: Nullable(Type.String()),
      agentId: Nullable(Type.String()),
      agentName: Nullable(Type.String()),
      createdAt: Type.String({ format: 'date-time' }),
      lastUsedAt: Nullable(Type.String({ format: 'date-time', description: 'its last use (recorded at most once a minute)' })),
      revokedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
});

export const QueueList = Type.Object({ items: Type.Array(Ref(QueueSchema)) });
export const AgentList = Type.Object({ items: Type.Array(Ref(AgentSchema)) });

export const SHARED_DIRECTORY_SCHEMAS = [QueueSchema, AgentSchema];
