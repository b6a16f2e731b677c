import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Authenticator } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import type { FileService } from '../files/file.service.ts';
import { sendStoredFile } from '../files/send-stored-file.ts';
import { bearer, errorResponses } from '../schemas/common.schema.ts';
import { MediaParams, UploadQuery, UploadSchema } from '../schemas/case.schema.ts';

export function registerFileRoutes(app: FastifyInstance, files: FileService, auth: Authenticator, publicPerMinute: number): void {
  // the upload's body is the file itself, whatever its type: this scope parses every body as bytes, JSON included
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: files.maxBytes }, (_req, body, done) => done(null, body));
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/uploads',
      {
        onRequest: [
          auth.require('agent'),
          async (req) => {
            // refused before a byte of the body is read
            if (Number(req.headers['content-length'] ?? 0) > files.maxBytes) throw new GatewayError('UPLOAD_TOO_LARGE', `files are at most ${files.maxBytes} bytes`);
          },
        ],
        bodyLimit: files.maxBytes,
        schema: {
          summary: 'Upload a file to send with an answer or a note',
          description:
            'The body is the file; `Content-Type` is its media type. Name the answered `id` in the `attachments` of POST /api/v1/cases/{number}/replies. A file of the same content is stored once.',
          tags: ['cases'],
          ...bearer('agent'),
          querystring: UploadQuery,
          response: { 201: UploadSchema, ...errorResponses(400, 401, 403, 413, 429) },
        },
      },
      async (req, reply) => reply.code(201).send(await files.upload(req.query.name, req.headers['content-type'], req.body as Buffer | undefined)),
    );
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/media/:interactionId/:index/:token/:name',
    {
      config: { rateLimit: { max: publicPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'A file sent with an answer, through the link the customer got (public; the link carries its secret and lapses after MEDIA_LINK_DAYS)',
        tags: ['cases'],
        params: MediaParams,
        response: { 200: Type.Unsafe<unknown>({ description: 'the file' }), ...errorResponses(400, 404, 429) },
      },
    },
    async (req, reply) => sendStoredFile(reply, await files.media(req.params.interactionId, req.params.index, req.params.token)),
  );
}
