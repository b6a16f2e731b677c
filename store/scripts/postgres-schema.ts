/**
 * The PostgreSQL copy of store/schema.prisma. Prisma takes the provider as a literal, so the one schema is
 * rewritten rather than kept twice: the provider, the URL from the environment, and every DateTime as
 * `timestamptz(3)` (an instant, read back the same whatever the server's or the client's time zone).
 */
export function postgresSchema(schema: string): string {
  return schema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = env("DATABASE_URL")')
    .replace(/^(\s+\w+\s+DateTime\??)(.*)$/gm, (_, field: string, rest: string) => (rest.includes('@db.') ? `${field}${rest}` : `${field}${rest} @db.Timestamptz(3)`));
}
