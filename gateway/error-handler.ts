import type { FastifyError, FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';
import { describeSchemaIssues, type SchemaIssue, type ValidationProblem } from './validation-message.ts';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST'],
};

/** Every error leaves as {"error":{"code","message"}}; client mistakes are logged at info, ours at error. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { code?: string }, req, reply) => {
    let status = err.statusCode ?? 500;
    let code = typeof err.code === 'string' ? err.code : 'INTERNAL';
    let message = err.message;
    let problems: ValidationProblem[] | undefined;
    if (err.validation) {
      status = 400;
      code = 'VALIDATION_FAILED';
      problems = describeSchemaIssues(err.validationContext ?? 'request', err.validation as SchemaIssue[]);
      message = problems.map((p) => `${p.path} ${p.message}`).join('; ') || 'the request is invalid';
    } else if (err instanceof SyntaxError && status === 400) {
      // JSON.parse quotes the body around the fault, which may hold a secret: neither the log nor the answer repeats it
      code = 'INVALID_JSON';
      message = 'the body is not valid JSON';
    } else if (FASTIFY_CODES[code]) {
      [status, code] = FASTIFY_CODES[code]!;
      if (code === 'INVALID_JSON') message = 'the body is not valid JSON';
    } else if (status === 429) {
      code = 'RATE_LIMITED';
    } else if (status >= 400 && status < 500 && !/^[A-Z][A-Z0-9_]+$/.test(code)) {
      code = 'BAD_REQUEST';
    }
    // 502 and 503 say what is away (a provider, the store); any other 5xx is ours, and says nothing more
    const explained = status === 502 || status === 503;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      code = explained ? code : 'INTERNAL';
      message = explained ? message : 'internal error';
    } else {
      req.log.info({ code, message }, 'request refused');
    }
    const details = problems ?? (status < 500 ? (err as { details?: unknown }).details : undefined);
    return reply.code(status).send(errorBody(code, message, details));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`)));
}
