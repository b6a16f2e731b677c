/**
 * How a webhook's answers appear in the OpenAPI document. Its refusals are listed from its own error
 * table, so the document names every code a provider can get back, by status, and never drifts from it.
 */

/** `{"error": {"code", "message"}}`, inline: a channel's routes may be registered on an app without the gateway's shared schemas */
const ERROR_BODY = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export function webhookErrorResponses(table: Record<string, { status: number; code?: string }>): Record<number, typeof ERROR_BODY & { description: string }> {
  const codes = new Map<number, string[]>();
  for (const [key, e] of Object.entries(table)) codes.set(e.status, [...(codes.get(e.status) ?? []), e.code ?? key]);
  return Object.fromEntries([...codes].map(([status, list]) => [status, { ...ERROR_BODY, description: list.join(', ') }]));
}
