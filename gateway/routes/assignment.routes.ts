import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth.ts';
import type { OfferService } from '../assignment/offer.service.ts';
import { caseNumberParam } from './cases.routes.ts';


/** An agent takes the case offered to them (or pulls one from a queue they work), or hands an offer back. */
export function registerAssignmentRoutes(app: FastifyInstance, offers: OfferService, auth: Authenticator): void {
  // no body needed: a bare POST (or one with {}) does it
  const opts = { onRequest: auth.require('agent'), schema: { params: caseNumberParam } };
  const number = (params: unknown) => (params as { number: string }).number.toUpperCase();
  app.post('/api/v1/cases/:number/claim', opts, async (req) => offers.claim(number(req.params), req.actor!));
  app.post('/api/v1/cases/:number/decline', opts, async (req) => offers.decline(number(req.params), req.actor!));
}
