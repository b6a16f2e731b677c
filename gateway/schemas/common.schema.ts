/**
 * Building blocks of the route schemas. One schema per route drives request validation, the types of
 * `req.body`/`params`/`query`, response serialization and the OpenAPI document, so each helper here
 * keeps those four in agreement.
 */
import { Type, type Static, type TSchema } from 'typebox';
import type { Role } from '../../store/token.repository.ts';

/** A string limited to `values`, typed as their union. */
export function StringEnum<const V extends readonly string[]>(values: V, options: { description?: string } = {}) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * `T | null` as one `type` list rather than an `anyOf`: a refused value is then reported once ("must be
 * a string or null") instead of once per alternative.
 */
export function Nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

/** Any JSON object, typed as `T`: for open shapes (routing traces, rule conditions) whose content is checked elsewhere. */
export function OpenObject<T = Record<string, unknown>>(description: string, options: { nullable?: boolean } = {}) {
  return Type.Unsafe<T>({ type: options.nullable ? ['object', 'null'] : 'object', additionalProperties: true, description });
}

/**
 * A reference to a shared schema (registered once, see api-docs.ts), typed as that schema. In the
 * document it becomes `#/components/schemas/<$id>`.
 */
export function Ref<T extends TSchema>(schema: T, description?: string) {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new TypeError('only a schema with an $id can be referenced');
  return Type.Unsafe<Static<T>>({ $ref: `${id}#`, ...(description ? { description } : {}) });
}

/** Compiles only when `Schema` and `View` are the same type: a serializer drops whatever its schema does not list. */
export type SameShape<Schema, View> = [Schema] extends [View] ? ([View] extends [Schema] ? true : false) : false;
export type Assert<T extends true> = T;

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable, UPPER_SNAKE; e.g. VALIDATION_FAILED, CASE_NOT_FOUND, FORBIDDEN' }),
      message: Type.String({ description: 'for people; a validation message names the property, e.g. "body/state must be one of: …"' }),
      details: Type.Optional(Type.Unknown({ description: 'machine-readable facts, e.g. [{path, message}] for each problem found' })),
    }),
  },
  { $id: 'Error', description: 'Every refusal and failure' },
);

const ERROR_MEANINGS = {
  400: 'The request is malformed or fails validation (VALIDATION_FAILED, INVALID_JSON, …)',
  401: 'No valid bearer token or session (UNAUTHORIZED)',
  403: 'The role is not enough for this (FORBIDDEN), or a session’s change came without its CSRF token (CSRF_TOKEN_INVALID)',
  404: 'No such resource',
  409: 'The change conflicts with the current state',
  413: 'The body or a text in it is too large',
  415: 'Unsupported content type',
  429: 'Too many requests (RATE_LIMITED)',
  502: 'A provider refused or could not be reached (CHANNEL_SEND_FAILED)',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANINGS;

/** The error shape for each status a route may refuse with, each with what it means. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, Ref(ErrorSchema, ERROR_MEANINGS[s])])) as Record<S, ReturnType<typeof Ref<typeof ErrorSchema>>>;
}

/** What a route behind `auth.require(role)` declares: a bearer token or a session, and (as `x-role`) the least role it takes. */
export function bearer(role: Role) {
  return { security: [{ bearer: [] }, { session: [] }], 'x-role': role } as const;
}

/** `?limit=` of every paged list. */
export const LimitQuery = Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'page size' });

/** One page of a list, newest first; `nextCursor` is null on the last page. */
export function Page<Item extends TSchema, Cursor extends TSchema & { type: string }>(item: Item, cursor: Cursor) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(cursor),
  });
}

export const NoContent = Type.Unsafe<void>({ type: 'null', description: 'Done; no body' });

export const SHARED_COMMON_SCHEMAS = [ErrorSchema];
