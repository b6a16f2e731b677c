import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SHARED_COMMON_SCHEMAS } from './schemas/common.schema.ts';
import { SHARED_AUTH_SCHEMAS } from './schemas/auth.schema.ts';
import { SHARED_CANNED_SCHEMAS } from './schemas/canned-response.schema.ts';
import { SHARED_SAVED_VIEW_SCHEMAS } from './schemas/saved-view.schema.ts';
import { SHARED_CASE_SCHEMAS } from './schemas/case.schema.ts';
import { SHARED_DIRECTORY_SCHEMAS } from './schemas/directory.schema.ts';
import { SHARED_RULE_SCHEMAS } from './schemas/rule.schema.ts';
import { SHARED_INBOUND_SCHEMAS } from './schemas/inbound.schema.ts';
import { SHARED_CUSTOMER_SCHEMAS } from './schemas/customer.schema.ts';
import { SHARED_CALENDAR_SCHEMAS } from './schemas/calendar.schema.ts';
import { SHARED_SLA_SCHEMAS } from './schemas/sla.schema.ts';

const TAGS = [
  { name: 'cases', description: 'Cases, their interactions, answers and assignment; the live stream of case events' },
  { name: 'rules', description: 'The routing configuration: rules, lexicon, templates, business hours; versions, audit, simulation' },
  { name: 'directory', description: 'Queues, agents, presence and API tokens' },
  { name: 'auth', description: 'People signing in to the workspace: sessions (a cookie and a CSRF token), invitations to set a password' },
  { name: 'calendars', description: 'Business calendars: time zone, working windows, holidays; business-time arithmetic' },
  { name: 'customers', description: 'Accounts and contacts: who the cases are from; merges; the audit of changes to them' },
  { name: 'chat', description: 'The web chat widget: sessions and the visitor’s WebSocket' },
  { name: 'webhooks', description: 'Providers calling in: inbound mail, Twilio SMS and statuses, Slack events; each authenticated its own way' },
  { name: 'ops', description: 'Liveness, readiness, metrics and the agents’ console page' },
];

/** The UI's own files only: it runs offline, with no inline script. */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * The OpenAPI document, generated from the schemas the routes declare, at `GET /openapi.json`, and a
 * browsable UI of it at `/docs`. Registered before any route: the generator sees only the routes added
 * after it.
 */
export async function registerApiDocs(app: FastifyInstance, info: { title: string; version: string }): Promise<void> {
  for (const schema of [...SHARED_COMMON_SCHEMAS, ...SHARED_CASE_SCHEMAS, ...SHARED_DIRECTORY_SCHEMAS, ...SHARED_RULE_SCHEMAS, ...SHARED_INBOUND_SCHEMAS, ...SHARED_CUSTOMER_SCHEMAS, ...SHARED_CALENDAR_SCHEMAS, ...SHARED_SLA_SCHEMAS, ...SHARED_AUTH_SCHEMAS, ...SHARED_CANNED_SCHEMAS, ...SHARED_SAVED_VIEW_SCHEMAS]) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { ...info, description: 'Omni-channel customer-service gateway. Errors are always `{"error": {"code", "message"}}`.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API token: ADMIN_TOKEN, one issued by POST /api/v1/tokens, or an agent’s' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'sb_session',
            description: 'a person signed in to the workspace (POST /auth/sign-in); every request that changes something also sends the session’s X-CSRF-Token',
          },
        },
      },
      tags: TAGS,
    },
    // the WebSocket plugin hides its routes; their upgrade requests are part of the API all the same
    transform: ({ schema, url, route }) => ({ schema: route.websocket ? { ...schema, hide: false } : schema, url }),
    // shared schemas appear under their own names (#/components/schemas/Case), not as def-0, def-1…
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    theme: { title: `${info.title} API` },
    uiConfig: { deepLinking: true, showExtensions: true },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
