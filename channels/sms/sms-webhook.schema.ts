import { webhookErrorResponses } from '../webhook-responses.ts';
import { SMS_ERRORS } from './sms.errors.ts';

const TWIML = { 'text/xml': { schema: { type: 'string' } } };
const SIGNED = 'Twilio’s form post (application/x-www-form-urlencoded), signed with X-Twilio-Signature over PUBLIC_URL + the path and query.';

/** Documentation only: the form body is read by the webhook's own parser and checked against the signature. */
export const smsInboundSchema = {
  summary: 'Inbound SMS/MMS from Twilio',
  description: `${SIGNED} A replay of the same MessageSid is acknowledged and ignored. HELP/STOP keywords are answered in the TwiML.`,
  tags: ['webhooks'],
  response: { 200: { description: 'stored; TwiML, with a message for HELP', content: TWIML }, ...webhookErrorResponses(SMS_ERRORS) },
};

export const smsStatusSchema = {
  summary: 'Delivery status of an SMS we sent',
  description: `${SIGNED} Statuses of unknown messages are acknowledged and ignored.`,
  tags: ['webhooks'],
  response: { 200: { description: 'recorded; empty TwiML', content: TWIML }, ...webhookErrorResponses(SMS_ERRORS) },
};
