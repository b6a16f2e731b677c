import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SESSION_COOKIE, type Authenticator } from '../auth.ts';
import type { OpenedSession, SignInService } from '../people/sign-in.service.ts';
import { errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import { InvitationParams, InvitationSchema, SessionSchema, SetPasswordBody, SignInBody } from '../schemas/auth.schema.ts';
import { GatewayError } from '../errors.ts';

export interface AuthRouteOptions {
  /** sign-in attempts per minute from one address (SIGN_IN_RATE_LIMIT) */
  signInPerMinute: number;
  /** the cookie is sent over HTTPS only when the public address is HTTPS */
  secureCookie: boolean;
}

const tags = ['auth'];
const session = { security: [{ session: [] }] } as const;

/** People signing in to the workspace: sign-in, the session, sign-out, and setting a password through an invitation. */
export function registerAuthRoutes(app: FastifyInstance, people: SignInService, auth: Authenticator, opts: AuthRouteOptions): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const limited = { rateLimit: { max: opts.signInPerMinute, timeWindow: 60_000 } };

  const setCookie = (reply: FastifyReply, opened: OpenedSession) =>
    reply.setCookie(SESSION_COOKIE, opened.token, { httpOnly: true, sameSite: 'strict', secure: opts.secureCookie, path: '/', maxAge: people.cookieMaxAgeSeconds });
  const clearCookie = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: opts.secureCookie, path: '/' });
  const userAgent = (req: FastifyRequest) => req.headers['user-agent'] ?? null;
  const cookieOf = (req: FastifyRequest) => req.cookies[SESSION_COOKIE]!;

  api.post(
    '/auth/sign-in',
    {
      config: limited,
      schema: {
        summary: 'Sign in with email and password: sets the session cookie (httpOnly, SameSite=Strict) and answers the session',
        tags,
        body: SignInBody,
        response: { 200: Ref(SessionSchema), ...errorResponses(400, 401, 415, 429) },
      },
    },
    async (req, reply) => {
      const opened = await people.signIn(req.body.email, req.body.password, userAgent(req));
      setCookie(reply, opened);
      return opened.view;
    },
  );

  api.get(
    '/auth/session',
    {
      onRequest: auth.require('agent'),
      schema: { summary: 'The signed-in person, their role and the CSRF token for their changes', tags, ...session, response: { 200: Ref(SessionSchema), ...errorResponses(401) } },
    },
    async (req) => {
      // authentication found the session already
      if (!req.session) throw new GatewayError('UNAUTHORIZED', 'no one is signed in: this is an API token');
      return people.view(cookieOf(req), req.session);
    },
  );

  api.post(
    '/auth/sign-out',
    { onRequest: auth.require('agent'), schema: { summary: 'Sign out this browser', tags, ...session, response: { 204: NoContent, ...errorResponses(401, 403) } } },
    async (req, reply) => {
      if (req.actor!.sessionId) await people.signOut(req.actor!.sessionId);
      clearCookie(reply);
      auth.forget();
      return reply.code(204).send();
    },
  );

  api.post(
    '/auth/sign-out-everywhere',
    {
      onRequest: auth.require('agent'),
      schema: { summary: 'Sign out every browser of the signed-in agent; their open streams close', tags, ...session, response: { 204: NoContent, ...errorResponses(401, 403) } },
    },
    async (req, reply) => {
      if (!req.actor!.agentId) throw new GatewayError('NOT_AN_AGENT', 'only an agent has sessions to end');
      await people.signOutEverywhere(req.actor!.agentId);
      clearCookie(reply);
      auth.forget();
      return reply.code(204).send();
    },
  );

  api.get(
    '/auth/invitations/:token',
    {
      config: limited,
      schema: { summary: 'Whose password an invitation link sets (404 once used or out of date)', tags, params: InvitationParams, response: { 200: InvitationSchema, ...errorResponses(400, 404, 429) } },
    },
    async (req) => people.invitation(req.params.token),
  );

  api.post(
    '/auth/invitations/:token',
    {
      config: limited,
      schema: {
        summary: 'Set the password through an invitation link (once) and sign in; the agent’s other sessions end',
        tags,
        params: InvitationParams,
        body: SetPasswordBody,
        response: { 200: Ref(SessionSchema), ...errorResponses(400, 404, 415, 429) },
      },
    },
    async (req, reply) => {
      const opened = await people.acceptInvitation(req.params.token, req.body.password, userAgent(req));
      setCookie(reply, opened);
      return opened.view;
    },
  );
}
