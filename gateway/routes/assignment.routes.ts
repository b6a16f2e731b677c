import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticator } from '../auth.ts';
import type { OfferService } from '../assignment/offer.service.ts';
import { bearer, errorResponses, Ref } from '../schemas/common.schema.ts';
import { CaseNumberParams, CaseSchema } from '../schemas/case.schema.ts';

/** An agent takes the case offered to them (or pulls one from a queue they work), or hands an offer back. */
// no body at all is a decline without a reason
const DeclineBody = Type.Union([Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'why, for the timeline and the lead' })) }, { additionalProperties: false }), Type.Null()]);

export function registerAssignmentRoutes(app: FastifyInstance, offers: OfferService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  // no body needed: a bare POST (or one with {}) does it
  const schema = (summary: string) => ({
    summary,
    tags: ['cases'],
    ...bearer('agent'),
    params: CaseNumberParams,
    response: { 200: Ref(CaseSchema, 'the case as it is now'), ...errorResponses(400, 401, 403, 404, 409, 429) },
  });
  api.post(
    '/api/v1/cases/:number/claim',
    { onRequest: auth.require('agent'), schema: schema('Take the case offered to you, or pull one from a queue you work (409 CASE_NOT_CLAIMABLE when someone else has it)') },
    async (req) => offers.claim(req.params.number.toUpperCase(), req.actor!),
  );
  api.post(
    '/api/v1/cases/:number/decline',
    {
      onRequest: auth.require('agent'),
      schema: { ...schema('Hand an offer back, with an optional reason written on the timeline; the case is offered to someone else'), body: DeclineBody },
    },
    async (req) => offers.decline(req.params.number.toUpperCase(), req.actor!, (req.body as { reason?: string } | undefined)?.reason),
  );
}
