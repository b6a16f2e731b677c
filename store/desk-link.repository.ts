import type { Executor } from './executor.ts';
import { ONE, query } from './query.ts';

/** Where an agent-facing channel (Slack) keeps its own references: its users for our agents, its threads for our cases. */

const agentByExternalQuery = query((qb, p: { userId: string }) => qb.selectFrom('Agent').select(['id', 'name', 'role', 'slackUserId']).where('slackUserId', '=', p.userId));
const agentByEmailQuery = query((qb, p: { email: string }) => qb.selectFrom('Agent').select(['id', 'name', 'role', 'slackUserId']).where('email', '=', p.email));
const agentByIdQuery = query((qb, p: { id: string }) => qb.selectFrom('Agent').select(['id', 'name', 'role', 'slackUserId']).where('id', '=', p.id));

export function agentByExternalUser(x: Executor, userId: string) {
  return x.first(agentByExternalQuery, { userId });
}

export function agentByEmail(x: Executor, email: string) {
  return x.first(agentByEmailQuery, { email: email.toLowerCase() });
}

export function deskAgentById(x: Executor, id: string) {
  return x.first(agentByIdQuery, { id });
}

/** Links the channel's user to an agent who has none yet; false when the agent has one already. */
export async function linkExternalUser(x: Executor, agentId: string, userId: string): Promise<boolean> {
  return (await x.runOf((qb) => qb.updateTable('Agent').set({ slackUserId: userId }).where('id', '=', agentId).where('slackUserId', 'is', null))) > 0;
}

export function queueChannels(x: Executor): Promise<Array<{ name: string; slackChannel: string | null }>> {
  return x.allOf((qb) => qb.selectFrom('Queue').select(['name', 'slackChannel']).orderBy('createdAt').orderBy('id'));
}

export async function linkThread(x: Executor, caseId: number, channel: string, ts: string, now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('Case').set({ slackChannel: channel, slackTs: ts, updatedAt: now }).where('id', '=', caseId));
}

const caseByThreadQuery = query((qb, p: { channel: string; ts: string }) =>
  qb.selectFrom('Case').select('id').where('slackTs', '=', p.ts).where('slackChannel', '=', p.channel).limit(ONE),
);

export async function caseByThread(x: Executor, channel: string, ts: string): Promise<number | null> {
  return (await x.first(caseByThreadQuery, { channel, ts }))?.id ?? null;
}

const threadOfQuery = query((qb, p: { id: number }) => qb.selectFrom('Case').select(['slackChannel', 'slackTs']).where('id', '=', p.id));

export async function threadOf(x: Executor, caseId: number): Promise<{ channel: string; ts: string } | null> {
  const row = await x.first(threadOfQuery, { id: caseId });
  return row?.slackChannel && row.slackTs ? { channel: row.slackChannel, ts: row.slackTs } : null;
}
