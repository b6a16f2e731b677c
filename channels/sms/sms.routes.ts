/** POST /webhooks/twilio/sms and /webhooks/twilio/status: verify, parse, hand to the pipeline, answer. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelContext } from '../channel.types.ts';
import { parseFormBody, type FormFields, type ParsedForm } from './form-body.ts';
import { parseInboundSms } from './inbound-parser.ts';
import type { SmsConfig } from './sms.config.ts';
import { smsErrorBody, smsErrorFromFramework, smsErrorStatus, type SmsErrorCode } from './sms.errors.ts';
import { parseStatusCallback } from './status-callback.ts';
import { emptyTwiml, messageTwiml, TWIML_CONTENT_TYPE } from './twiml-response.ts';
import { verifyTwilioSignature } from './twilio-signature.ts';
import { signedWebhookUrl } from './webhook-url.ts';
import { smsInboundSchema, smsStatusSchema } from './sms-webhook.schema.ts';

export const INBOUND_PATH = '/webhooks/twilio/sms';
export const STATUS_PATH = '/webhooks/twilio/status';

export interface SmsRouteDeps {
  config: Pick<SmsConfig, 'publicUrl' | 'trustProxy' | 'helpText' | 'maxMedia' | 'bodyLimit'> & { authToken: string };
  ctx: ChannelContext;
  now: () => Date;
}

const FORM = 'application/x-www-form-urlencoded';

export function registerSmsRoutes(app: FastifyInstance, deps: SmsRouteDeps): void {
  // an encapsulated context: our form parser, body limit and error shape apply to these two routes only
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(FORM, { parseAs: 'buffer', bodyLimit: deps.config.bodyLimit }, (_req, body, done) => {
      done(null, parseFormBody(body as Buffer));
    });
    scope.setErrorHandler((err: { statusCode?: number; code?: string; message?: string }, request, reply) => {
      const code = smsErrorFromFramework(err);
      request.log.warn({ channel: 'sms', err: err.message, code }, 'SMS webhook rejected');
      return sendError(reply, code);
    });

    scope.post(INBOUND_PATH, { schema: smsInboundSchema }, async (request, reply) => {
      const form = verified(request, reply, deps);
      if (!form) return reply;
      const parsed = parseInboundSms(form.fields, { maxMedia: deps.config.maxMedia, receivedAt: deps.now() });
      if (!parsed.ok) return sendError(reply, parsed.code, parsed.detail);
      const message = parsed.message;

      let duplicate: boolean;
      try {
        ({ duplicate } = await deps.ctx.ingest(message));
      } catch (err) {
        // not stored, so not acknowledged: Twilio's retry will bring it back
        request.log.error({ channel: 'sms', err, sid: message.externalId }, 'SMS ingest failed');
        return sendError(reply, 'INGEST_FAILED');
      }
      request.log.info(
        { channel: 'sms', sid: message.externalId, kind: message.kind, duplicate, notes: parsed.notes },
        duplicate ? 'SMS replay ignored' : 'SMS received',
      );
      // a replay was answered the first time; answering HELP again would text the customer twice
      const answer = !duplicate && message.kind === 'help' ? messageTwiml(deps.config.helpText) : emptyTwiml();
      return reply.code(200).type(TWIML_CONTENT_TYPE).send(answer);
    });

    scope.post(STATUS_PATH, { schema: smsStatusSchema }, async (request, reply) => {
      const form = verified(request, reply, deps);
      if (!form) return reply;
      const parsed = parseStatusCallback(form.fields, (request.query as Record<string, unknown> | undefined)?.i as string | undefined);
      if (!parsed.ok) return sendError(reply, parsed.code, parsed.detail);
      if (parsed.update) {
        let known: boolean;
        try {
          known = await deps.ctx.updateDelivery(parsed.update);
        } catch (err) {
          request.log.error({ channel: 'sms', err, sid: parsed.update.externalId }, 'SMS status update failed');
          return sendError(reply, 'INGEST_FAILED');
        }
        if (!known) request.log.info({ channel: 'sms', sid: parsed.update.externalId }, 'SMS status for an unknown message');
      } else {
        request.log.debug({ channel: 'sms', reason: parsed.reason }, 'SMS status ignored');
      }
      return reply.code(200).type(TWIML_CONTENT_TYPE).send(emptyTwiml());
    });
  });
}

/** The parsed form when the request carries a valid Twilio signature and is well formed; otherwise answers 403/400 and returns undefined. */
function verified(request: FastifyRequest, reply: FastifyReply, deps: SmsRouteDeps): ParsedForm | undefined {
  const form = (request.body as ParsedForm | undefined) ?? { fields: Object.create(null) as FormFields, invalidUtf8: false };
  const header = request.headers['x-twilio-signature'];
  const target = signedWebhookUrl({
    publicUrl: deps.config.publicUrl,
    trustProxy: deps.config.trustProxy,
    headers: request.headers,
    rawUrl: request.originalUrl,
  });
  const verdict = verifyTwilioSignature({
    authToken: deps.config.authToken,
    signature: typeof header === 'string' ? header : undefined,
    url: target.url,
    params: form.fields,
  });
  if (verdict.valid) {
    // Twilio always sends UTF-8: bytes that are not are a broken or forged request, never a message to keep
    if (!form.invalidUtf8) return form;
    void sendError(reply, 'INVALID_ENCODING');
    return undefined;
  }
  request.log.warn({ channel: 'sms', reason: verdict.reason, urlSource: target.reason }, 'Twilio signature rejected');
  void sendError(reply, 'BAD_SIGNATURE');
  return undefined;
}

function sendError(reply: FastifyReply, code: SmsErrorCode, detail?: string): FastifyReply {
  return reply.code(smsErrorStatus(code)).type('application/json; charset=utf-8').send(smsErrorBody(code, detail));
}
