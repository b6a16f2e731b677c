import type { Executor } from './executor.ts';
import { ONE, query } from './query.ts';

/**
 * What a channel calls our records (ChannelLink): its user for an agent, the channel a queue's cards go to,
 * the thread that mirrors a case. Kept by the channels that use them, so the core tables hold no provider's ids.
 */
export type LinkKind = 'agent' | 'queue' | 'case';

/** kinds whose reference names one record only (a user is one agent, a thread mirrors one case) */
const UNIQUE_KINDS: ReadonlySet<LinkKind> = new Set(['agent', 'case']);

const linkOfQuery = query((qb, p: { channel: string; kind: string; targetId: string }) =>
  qb.selectFrom('ChannelLink').select('externalId').where('channel', '=', p.channel).where('kind', '=', p.kind).where('targetId', '=', p.targetId),
);
const targetOfQuery = query((qb, p: { channel: string; kind: string; externalId: string }) =>
  qb.selectFrom('ChannelLink').select('targetId').where('channel', '=', p.channel).where('kind', '=', p.kind).where('externalId', '=', p.externalId).limit(ONE),
);
const linksOfKindQuery = query((qb, p: { channel: string; kind: string }) =>
  qb.selectFrom('ChannelLink').select(['targetId', 'externalId']).where('channel', '=', p.channel).where('kind', '=', p.kind),
);
const deleteLinkQuery = query((qb, p: { channel: string; kind: string; targetId: string }) =>
  qb.deleteFrom('ChannelLink').where('channel', '=', p.channel).where('kind', '=', p.kind).where('targetId', '=', p.targetId),
);
const insertLinkQuery = query((qb, p: { channel: string; kind: string; targetId: string; externalId: string; uniqueKey: string | null; now: Date }) =>
  qb.insertInto('ChannelLink').values({ channel: p.channel, kind: p.kind, targetId: p.targetId, externalId: p.externalId, uniqueKey: p.uniqueKey, createdAt: p.now }),
);

/** The channel's reference for one of our records, or null. */
export async function linkOf(x: Executor, channel: string, kind: LinkKind, targetId: string): Promise<string | null> {
  return (await x.first(linkOfQuery, { channel, kind, targetId }))?.externalId ?? null;
}

/** Our record a channel's reference names, or null. */
export async function targetOf(x: Executor, channel: string, kind: LinkKind, externalId: string): Promise<string | null> {
  return (await x.first(targetOfQuery, { channel, kind, externalId }))?.targetId ?? null;
}

/** Every reference of one kind a channel keeps: our id → its reference. */
export async function linksOf(x: Executor, channel: string, kind: LinkKind): Promise<Map<string, string>> {
  return new Map((await x.all(linksOfKindQuery, { channel, kind })).map((r) => [r.targetId, r.externalId]));
}

/**
 * Sets (or with null, removes) the channel's reference for a record. For agents and cases a reference
 * names one record only: giving it to a second one fails as a unique violation (isUniqueViolation).
 */
export async function setLink(x: Executor, channel: string, kind: LinkKind, targetId: string, externalId: string | null, now: Date): Promise<void> {
  await x.run(deleteLinkQuery, { channel, kind, targetId });
  if (externalId === null) return;
  const uniqueKey = UNIQUE_KINDS.has(kind) ? `${channel}:${kind}:${externalId}` : null;
  await x.run(insertLinkQuery, { channel, kind, targetId, externalId, uniqueKey, now });
}

const agentByIdQuery = query((qb, p: { id: string }) => qb.selectFrom('Agent').select(['id', 'name', 'role', 'deactivatedAt']).where('id', '=', p.id));
// the agents a desk (Slack) acts for: a deactivated one is nobody there
const agentByEmailQuery = query((qb, p: { email: string }) =>
  qb.selectFrom('Agent').select(['id', 'name', 'role']).where('email', '=', p.email).where('deactivatedAt', 'is', null),
);

/** An agent by id, deactivated or not (their name still shows on the cases they had). */
export function deskAgentById(x: Executor, id: string) {
  return x.first(agentByIdQuery, { id });
}

export function agentByEmail(x: Executor, email: string) {
  return x.first(agentByEmailQuery, { email: email.toLowerCase() });
}

const queueNamesQuery = query((qb) => qb.selectFrom('Queue').select(['id', 'name']).orderBy('createdAt').orderBy('id'));

/** Every queue, with where the channel posts its cases' cards (its reference for the queue). */
export async function queuesWithLinks(x: Executor, channel: string): Promise<Array<{ name: string; cardsTo: string | null }>> {
  const links = await linksOf(x, channel, 'queue');
  return (await x.all(queueNamesQuery, {})).map((q) => ({ name: q.name, cardsTo: links.get(q.id) ?? null }));
}
