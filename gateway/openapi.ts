import type { FastifyInstance, RouteOptions } from 'fastify';

/** Collects the JSON schemas the routes declare into an OpenAPI 3 document served at /openapi.json. */
export function installOpenApi(app: FastifyInstance, info: { title: string; version: string }): void {
  const paths: Record<string, Record<string, unknown>> = {};
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (route.url === '/openapi.json' || route.url.includes('*')) return;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const s = (route.schema ?? {}) as Record<string, unknown>;
    for (const m of methods) {
      const op: Record<string, unknown> = { responses: { default: { description: 'see the README' } } };
      const params: unknown[] = [];
      for (const [where, key] of [['path', 'params'], ['query', 'querystring']] as const) {
        const props = (s[key] as { properties?: Record<string, unknown>; required?: string[] } | undefined)?.properties ?? {};
        for (const [name, schema] of Object.entries(props)) {
          params.push({ name, in: where, required: where === 'path' || ((s[key] as { required?: string[] }).required ?? []).includes(name), schema });
        }
      }
      if (params.length) op.parameters = params;
      if (s.body) op.requestBody = { content: { 'application/json': { schema: s.body } } };
      paths[path] = { ...(paths[path] ?? {}), [m.toLowerCase()]: op };
    }
  });
  app.get('/openapi.json', async () => ({
    openapi: '3.0.3',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  }));
}
