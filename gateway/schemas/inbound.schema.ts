import { Type } from 'typebox';
import { LimitQuery, Nullable, Page } from './common.schema.ts';

export const FailedInboundSchema = Type.Object(
  {
    id: Type.String(),
    channel: Type.String(),
    from: Nullable(Type.String()),
    kind: Type.String(),
    subject: Nullable(Type.String()),
    text: Type.String(),
    attempts: Type.Integer({ description: 'processing attempts made' }),
    error: Nullable(Type.String({ description: 'why the last attempt failed' })),
    receivedAt: Type.String({ format: 'date-time' }),
    failedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'FailedInbound', description: 'An inbound message whose processing failed PIPELINE_MAX_ATTEMPTS times' },
);

export const FailedInboundQuery = Type.Object(
  {
    limit: Type.Optional(LimitQuery),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const FailedInboundPage = Page(FailedInboundSchema, Type.String());

export const InboundIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+$' }) });

export const SHARED_INBOUND_SCHEMAS = [FailedInboundSchema];
