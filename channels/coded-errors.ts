/**
 * True for an error the gateway raised about the request itself (a coded 4xx: the message is refused for
 * good), as opposed to a failure worth retrying (the store is down).
 */
export function isRefusal(err: unknown): err is Error & { statusCode: number } {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** A channel's webhook errors: each key of its table is the JSON `code`, with its HTTP status and message. */
export interface CodedError {
  status: number;
  message: string;
}

type FrameworkKeys = 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL';

/**
 * The three things every webhook needs from its table: the `{"error":{"code","message"}}` body, the status,
 * and which of its codes stands for an error Fastify raised before the handler ran (body limit, content
 * type, an unreadable body — `malformed`).
 */
export function codedErrors<T extends Record<FrameworkKeys, CodedError> & Record<string, CodedError>>(table: T, malformed: keyof T & string) {
  type Code = keyof T & string;
  return {
    body(code: Code, detail?: string): { error: { code: Code; message: string } } {
      const base = table[code]!.message;
      return { error: { code, message: detail ? `${base}: ${detail}` : base } };
    },
    status(code: Code): number {
      return table[code]!.status;
    },
    fromFramework(err: { statusCode?: number; code?: string }): Code {
      if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'PAYLOAD_TOO_LARGE';
      if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'UNSUPPORTED_MEDIA_TYPE';
      if (isRefusal(err)) return malformed;
      return 'INTERNAL';
    },
  };
}
