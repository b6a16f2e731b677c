/** Cases and their interactions, as the API shows them, and the requests that read and change them. */
import { Type, type Static } from 'typebox';
import type { CaseView } from '../../store/case.repository.ts';
import type { InteractionView } from '../../store/interaction.repository.ts';
import { CASE_STATES } from '../../routing/case-state.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';
import { LimitQuery, Nullable, OpenObject, Page, Ref, StringEnum, type Assert, type SameShape } from './common.schema.ts';

const Timestamp = Type.String({ format: 'date-time' });
const CaseNumber = Type.String({ pattern: '^CS[0-9]{7,}$', description: 'e.g. CS0001001' });
/** Documented as the channel names, typed as a string: views read it from the store as text. */
const channelText = (description?: string) => Type.String({ enum: [...CHANNEL_NAMES], ...(description ? { description } : {}) });

const SlaTargetSchema = Type.Object(
  {
    dueAt: Nullable(Type.String({ format: 'date-time', description: 'when the promise falls (or fell) due; null while paused' })),
    state: StringEnum(['running', 'paused', 'met', 'breached'] as const),
    remainingSeconds: Type.Integer({ description: 'running: wall-clock seconds until due (negative: overdue); paused and met: the clock’s own time left; breached: late by (negative)' }),
    business: Type.Boolean({ description: 'whether the clock counts business hours only' }),
  },
  { description: 'one promise of the case' },
);

const caseProperties = {
  number: CaseNumber,
  state: StringEnum(CASE_STATES),
  priority: Type.Integer({ minimum: 1, maximum: 4, description: '1 critical … 4 low' }),
  channel: channelText('the channel the case was opened on'),
  subject: Type.String(),
  queue: Nullable(Type.String({ description: 'queue name' })),
  assignee: Nullable(Type.String({ description: 'agent id' })),
  category: Nullable(Type.String()),
  sentiment: Type.Number({ minimum: -1, maximum: 1 }),
  frustrated: Type.Boolean(),
  tags: Type.Array(Type.String()),
  requiredSkills: Type.Array(Type.String()),
  contact: Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()) }),
  contactId: Type.String({ description: 'the contact (GET /api/v1/contacts/:id)' }),
  accountId: Nullable(Type.String({ description: 'the contact’s account, if any' })),
  linkedCase: Nullable(Type.String({ description: 'the earlier case this one continues, by number' })),
  offeredTo: Nullable(Type.String({ description: 'the agent the case is offered to, waiting for a claim' })),
  offeredAt: Nullable(Timestamp),
  offerExpiresAt: Nullable(Type.String({ format: 'date-time', description: 'when the offer lapses unless taken' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
  sla: Nullable(
    Type.Object(
      {
        policy: Type.String({ description: 'the SLA policy the case falls under' }),
        calendar: Nullable(Type.String({ description: 'the business calendar its clocks run on; null: calendar time' })),
        firstResponse: Nullable(SlaTargetSchema),
        nextResponse: Nullable(SlaTargetSchema),
        resolution: Nullable(SlaTargetSchema),
      },
      { description: 'the promises the case carries; null when no policy applies. A target is null when the policy sets none (or, for nextResponse, no answer came yet)' },
    ),
  ),
};

export const CaseSchema = Type.Object(caseProperties, { $id: 'Case' });

export const AttachmentSchema = Type.Object(
  {
    name: Type.String(),
    contentType: Type.String(),
    size: Type.Integer({ minimum: 0 }),
    sha256: Type.Optional(Type.String()),
    url: Type.Optional(Type.String({ description: 'the provider’s URL of the content' })),
    storedPath: Type.Optional(Type.String({ description: 'where the content was stored, under DATA_DIR' })),
  },
  { additionalProperties: true },
);

export const InteractionSchema = Type.Object(
  {
    id: Type.String(),
    direction: Type.String({ enum: ['inbound', 'outbound', 'note', 'event'] }),
    channel: channelText(),
    kind: Type.String({ description: 'message, note, event, notice (outbound: an internal notice emailed to a team address, not an answer), or what an inbound was classified as (auto_reply, bounce, …)' }),
    text: Type.String(),
    subject: Nullable(Type.String()),
    status: Type.String({ description: 'e.g. processed, queued, sent, delivered, failed' }),
    error: Nullable(Type.String({ description: 'why a send failed' })),
    agentId: Nullable(Type.String()),
    attachments: Type.Unsafe<unknown[]>(Type.Array(AttachmentSchema)),
    createdAt: Timestamp,
  },
  { $id: 'Interaction' },
);

export const CaseDetailSchema = Type.Object(
  {
    ...caseProperties,
    routing: OpenObject<unknown>('how the case was routed and offered: scores, the rules tried, the queue and priority chosen, the assignment', { nullable: true }),
    interactions: Type.Array(Ref(InteractionSchema)),
  },
  { $id: 'CaseDetail' },
);

export type CaseSchemaMatchesView = Assert<SameShape<Static<typeof CaseSchema>, CaseView>>;
export type InteractionSchemaMatchesView = Assert<SameShape<Static<typeof InteractionSchema>, InteractionView>>;

export const CaseNumberParams = Type.Object({
  number: Type.String({ pattern: '^[Cc][Ss][0-9]{7,}$', description: 'case number, e.g. CS0001001 (any case)' }),
});

export const InteractionParams = Type.Object({
  number: CaseNumberParams.properties.number,
  id: Type.String({ minLength: 1, maxLength: 100, description: 'the interaction' }),
});

export const AttachmentParams = Type.Object({
  ...InteractionParams.properties,
  index: Type.Integer({ minimum: 0, maximum: 999, description: 'the attachment’s place in the interaction’s list, from 0' }),
});

export const CaseListQuery = Type.Object(
  {
    state: Type.Optional(StringEnum([...CASE_STATES, 'active'] as const, { description: 'a state, or active: new, open or awaiting_customer' })),
    queue: Type.Optional(Type.String({ maxLength: 200, description: 'queue name, or mine: the caller’s queues (every queue for an agent without any)' })),
    channel: Type.Optional(StringEnum(CHANNEL_NAMES)),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
    contact: Type.Optional(Type.String({ maxLength: 320, description: 'an email address or phone number' })),
    assignee: Type.Optional(Type.String({ maxLength: 100, description: 'agent id, "me", or "none": nobody’s' })),
    offeredTo: Type.Optional(Type.String({ maxLength: 100, description: 'the cases offered now to an agent: an agent id, or "me"' })),
    contactId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the cases of one contact, on every channel' })),
    accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the cases of one account' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'the cases carrying this tag, whatever its case' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'full-text search: cases with every word in a message or note, the subject, or the contact’s name, email or phone (the last word as a prefix); or a case number' })),
    sort: Type.Optional(
      StringEnum(['newest', 'oldest', 'priority', 'due'] as const, {
        description:
          'newest (default): newest first; oldest: oldest first; priority: the most urgent first, then the oldest; due: only cases with an SLA promise still to keep (running, or broken and unanswered), the nearest due time first (overdue first)',
      }),
    ),
    sla: Type.Optional(StringEnum(['soon'] as const, { description: 'soon: only cases whose SLA promise is broken or due within 30 minutes, the nearest first (sorted as due)' })),
    limit: Type.Optional(LimitQuery),
    cursor: Type.Optional(Type.String({ maxLength: 100, description: '`nextCursor` of the previous page' })),
  },
  { additionalProperties: false },
);

export const CaseCountsSchema = Type.Object({
  offeredToMe: Type.Integer({ description: 'offered now to the caller' }),
  mine: Type.Integer({ description: 'active cases the caller holds' }),
  unassigned: Type.Integer({ description: 'active cases nobody holds, in the caller’s queues (every queue for an agent without any)' }),
  open: Type.Integer({ description: 'active cases: new, open or awaiting the customer' }),
  breachingSoon: Type.Integer({ description: 'active cases whose SLA promise is broken or due within 30 minutes' }),
  resolved: Type.Integer(),
});

export const CasePage = Page(Ref(CaseSchema), Type.String({ description: 'pass back as `cursor` for the next page' }));

export const FileRefSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the `id` an upload answered (POST /api/v1/uploads)' }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    contentType: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const ReplyBody = Type.Object(
  {
    text: Type.String({ description: 'at most 64 KB of UTF-8; may be empty when files are attached' }),
    attachments: Type.Optional(
      Type.Array(FileRefSchema, {
        maxItems: 10,
        description: 'uploaded files sent with the answer: an email attachment, a file in the Slack thread, a link in chat, MMS (images) or links by SMS',
      }),
    ),
    internal: Type.Optional(Type.Boolean({ default: false, description: 'true: an internal note, never sent to the customer' })),
    takeover: Type.Optional(
      Type.Boolean({ default: false, description: 'supervisors and admins: take the case over (from its assignee or offer, past eligibility) and answer; written on the timeline' }),
    ),
  },
  { additionalProperties: false },
);

export const ReplyAccepted = Type.Object({ interactionId: Type.String() });

export const CasePatchBody = Type.Object(
  {
    state: Type.Optional(StringEnum(CASE_STATES)),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
    queue: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'queue name' })),
    assignee: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'agent id; null unassigns' }))),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20, description: 'every tag of the case: replaces the ones it has' })),
    contact: Type.Optional(
      Type.Object(
        { phone: Type.Optional(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164; SMS from this number joins the contact' })) },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SHARED_CASE_SCHEMAS = [CaseSchema, InteractionSchema, CaseDetailSchema];

export const UploadQuery = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255, description: 'the file’s name' }) },
  { additionalProperties: false },
);

export const UploadSchema = Type.Object({
  id: Type.String({ description: 'name it in an answer’s `attachments`' }),
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer({ minimum: 1 }),
});

export const MediaParams = Type.Object({
  interactionId: Type.String({ minLength: 1, maxLength: 100 }),
  index: Type.Integer({ minimum: 0, maximum: 99 }),
  token: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ maxLength: 300 }),
});
