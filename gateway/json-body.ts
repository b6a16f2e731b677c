import type { FastifyInstance } from 'fastify';
import { findIllFormedString, MAX_JSON_DEPTH, nestsDeeperThan } from '../channels/json-safety.ts';
import { GatewayError } from './errors.ts';

/**
 * The one JSON body parser of the API: Fastify's own (which refuses prototype poisoning), after a
 * linear scan that refuses deep nesting before any parsing, and followed by a check that every string
 * is well-formed Unicode. A channel's webhook scope may replace it with its own.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (nestsDeeperThan(text)) return done(new GatewayError('INVALID_JSON', `the body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    parseJson(req, text, (err, value) => {
      if (err) return done(err, undefined);
      const bad = findIllFormedString(value);
      if (bad) return done(new GatewayError('INVALID_UNICODE', `body${bad === '/' ? '' : bad} holds a lone UTF-16 surrogate; send well-formed Unicode`), undefined);
      done(null, value);
    });
  });
}
