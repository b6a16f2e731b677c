import { Type } from 'typebox';

/** The gateway's shared error shape (`{"error": {"code", "message"}}`), registered under this id. */
const errorShape = (description: string) => Type.Unsafe<{ error: { code: string; message: string } }>({ $ref: 'Error#', description });

/** `POST /chat/sessions`: public, so its only guard is the per-address rate limit. */
export const chatSessionRouteSchema = {
  summary: 'Open a chat session',
  description: 'The token opens the visitor’s WebSocket, `GET /chat/ws?token=…`, and reaches only this session. Rate-limited per address.',
  tags: ['chat'],
  body: Type.Union([
    Type.Object(
      {
        name: Type.Optional(Type.String({ maxLength: 200 })),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ]),
  response: {
    201: Type.Object({ sessionId: Type.String(), token: Type.String({ description: 'the chat token; keep it to come back to the conversation' }) }),
    400: errorShape('A field is invalid (VALIDATION_FAILED)'),
    415: errorShape('Send application/json'),
    429: errorShape('Too many sessions from this address (RATE_LIMITED)'),
  },
};
