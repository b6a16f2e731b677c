import { Type } from 'typebox';
import { Nullable } from './common.schema.ts';

export const CannedResponseSchema = Type.Object(
  {
    id: Type.String(),
    shortcut: Type.String({ description: 'typed after / or :: in the composer' }),
    title: Type.String(),
    text: Type.String({ description: 'may hold placeholders: {{contact.firstName}}, {{contact.name}}, {{contact.email}}, {{case.number}}, {{case.subject}}, {{agent.name}}, {{agent.firstName}}' }),
    shared: Type.Boolean({ description: 'the team’s (admins keep these), or the caller’s own' }),
    queue: Nullable(Type.String({ description: 'offered only in this queue’s cases; null: every queue' })),
    ownerId: Nullable(Type.String()),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CannedResponse' },
);

const fields = {
  shortcut: Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: '1–40 of a–z, 0–9, - and _' }),
  title: Type.String({ minLength: 1, maxLength: 120 }),
  text: Type.String({ minLength: 1, maxLength: 10_000 }),
  queue: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'queue name; null: every queue' }))),
};

export const CannedResponseCreateBody = Type.Object(
  { ...fields, shared: Type.Optional(Type.Boolean({ description: 'the team’s: admins only' })) },
  { additionalProperties: false },
);

export const CannedResponsePatchBody = Type.Object(
  { shortcut: Type.Optional(fields.shortcut), title: Type.Optional(fields.title), text: Type.Optional(fields.text), queue: fields.queue },
  { additionalProperties: false, minProperties: 1 },
);

export const CannedResponseQuery = Type.Object({ queue: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only those for every queue or this one' })) }, { additionalProperties: false });

export const CannedResponseList = Type.Object({ items: Type.Array(CannedResponseSchema) });

export const SHARED_CANNED_SCHEMAS = [CannedResponseSchema];
