/**
 * `npm run token -- --role admin [--agent <id>] [--label <text>]`: creates an API token straight in the
 * database the gateway uses (same settings, same .env), and prints it once. The recovery when the first
 * admin token was lost; it works whether or not the gateway is running.
 */
import { parseArgs } from 'node:util';
import { databaseLabel, loadConfig } from '../config.ts';
import { loadEnvFile } from '../env-file.ts';
import { Db } from '../../store/db.ts';
import { agentById } from '../../store/directory.repository.ts';
import { createToken, ROLES, type Role } from '../../store/token.repository.ts';

const USAGE = 'usage: npm run token -- --role admin|supervisor|agent [--agent <agent id>] [--label <text>]';

async function main(argv: string[]): Promise<number> {
  let values: { role?: string; agent?: string; label?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { role: { type: 'string' }, agent: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.role || !(ROLES as string[]).includes(values.role)) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  loadEnvFile();
  const config = loadConfig();
  const db = await Db.open({ url: config.databaseUrl, synchronous: config.sqliteSynchronous, poolSize: 1 });
  try {
    const created = await db.transaction(async (tx) => {
      if (values.agent && !(await agentById(tx, values.agent))) return null;
      return createToken(tx, { role: values.role as Role, agentId: values.agent ?? null, label: values.label ?? 'created with npm run token' }, new Date());
    });
    if (!created) {
      process.stderr.write(`no agent ${values.agent}\n`);
      return 1;
    }
    process.stderr.write(`${values.role === 'admin' ? 'An' : 'A'} ${values.role} token (id ${created.id}) for ${databaseLabel(config.databaseUrl)}; it is shown only this once:\n`);
    process.stdout.write(`${created.token}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`cannot create a token: ${(err as Error).message}\n`);
  return 1;
});
