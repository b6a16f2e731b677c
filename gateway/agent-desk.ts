import type { Db } from '../store/db.ts';
import { interactionsByIds, toInteractionView } from '../store/interaction.repository.ts';
import { agentByEmail, deskAgentById, linkOf, queuesWithLinks, setLink, targetOf } from '../store/desk-link.repository.ts';
import { formatCaseNumber, parseCaseNumber } from '../routing/case-number.ts';
import type { AgentDesk, DeskActor, DeskEvent, DeskRole } from '../channels/agent-desk.types.ts';
import type { CaseService } from './cases/case.service.ts';
import type { OfferService } from './assignment/offer.service.ts';
import type { EventBus } from './events.ts';
import type { Actor } from './auth.ts';
import { GatewayError } from './errors.ts';

function asActor(a: DeskActor): Actor {
  return { tokenId: `desk:${a.agentId}`, role: a.role, agentId: a.agentId };
}

/**
 * The case operations an agent-facing channel gets: CaseService with the channel's user mapped to an agent.
 * What a channel asks for on every event (the queues, agents, a case's thread) is cached here and kept
 * current by the events, so mirroring a message costs no read of the store.
 */
export function createAgentDesk(channel: string, db: Db, cases: CaseService, offers: OfferService, events: EventBus, now: () => Date): AgentDesk {
  let queues: Promise<Array<{ name: string; cardsTo: string | null }>> | null = null;
  let queuesAt = 0;
  const agents = new Map<string, { at: number; agent: Promise<{ id: string; name: string; externalUserId: string | null } | null> }>();
  const threads = new Map<number, { channel: string; ts: string }>();
  events.on((e) => {
    if (e.type !== 'directory.changed' && e.type !== 'events.missed') return;
    queues = null;
    agents.clear();
  });
  // the other way round: which case a thread mirrors
  const threadCases = new Map<string, number>();
  const rememberThread = (id: number, thread: { channel: string; ts: string }) => {
    // a case moved to another channel: its old thread no longer holds it
    const before = threads.get(id);
    if (before) threadCases.delete(threadRef(before));
    if (threads.size >= MAX_CACHED_THREADS) {
      const [oldId, old] = threads.entries().next().value!;
      threads.delete(oldId);
      threadCases.delete(threadRef(old));
    }
    threads.set(id, thread);
    threadCases.set(threadRef(thread), id);
  };
  const forgetThread = (id: number) => {
    const thread = threads.get(id);
    threads.delete(id);
    if (thread) threadCases.delete(threadRef(thread));
  };
  return {
    async agentByExternalUser(userId, email) {
      const linked = await targetOf(db.read, channel, 'agent', userId);
      const found = linked ? await deskAgentById(db.read, linked) : undefined;
      // a deactivated agent acts through no desk
      if (found?.deactivatedAt) return null;
      let agent: { id: string; name: string; role: string } | undefined = found;
      if (!agent && email) {
        const byEmail = await agentByEmail(db.read, email);
        // an agent of that address with no user of this channel yet is linked to this one
        const linkedNow =
          byEmail &&
          (await db.transaction(async (tx) => {
            if ((await linkOf(tx, channel, 'agent', byEmail.id)) !== null || (await targetOf(tx, channel, 'agent', userId)) !== null) return false;
            await setLink(tx, channel, 'agent', byEmail.id, userId, now());
            return true;
          }));
        if (linkedNow) {
          agent = byEmail;
          agents.delete(byEmail.id);
        }
      }
      return agent ? { agentId: agent.id, name: agent.name, role: agent.role as DeskRole } : null;
    },
    agentById(agentId) {
      const cached = agents.get(agentId);
      let agent = cached && Date.now() - cached.at < DIRECTORY_CACHE_MS ? cached.agent : undefined;
      if (!agent) {
        agent = Promise.all([deskAgentById(db.read, agentId), linkOf(db.read, channel, 'agent', agentId)]).then(([a, userId]) =>
          a ? { id: a.id, name: a.name, externalUserId: userId } : null,
        );
        // a failed read is not kept
        agent.catch(() => agents.delete(agentId));
        if (agents.size >= MAX_CACHED_AGENTS) agents.delete(agents.keys().next().value!);
        agents.set(agentId, { at: Date.now(), agent });
      }
      return agent;
    },
    async getCase(number) {
      try {
        return await cases.get(number);
      } catch (err) {
        if (err instanceof GatewayError && err.code === 'CASE_NOT_FOUND') return null;
        throw err;
      }
    },
    reply: (number, actor, body, origin) => cases.reply(number, asActor(actor), body, origin),
    update: (number, actor, patch, origin) => cases.patch(number, asActor(actor), patch, origin),
    async claim(number, actor, origin) {
      await offers.claim(number, asActor(actor), origin);
    },
    queues() {
      // another process may change them too: kept a short while only
      if (!queues || Date.now() - queuesAt >= DIRECTORY_CACHE_MS) {
        queuesAt = Date.now();
        const read = queuesWithLinks(db.read, channel);
        read.catch(() => {
          if (queues === read) queues = null;
        });
        queues = read;
      }
      return queues;
    },
    async linkThread(number, where, ts) {
      const id = parseCaseNumber(number);
      if (id === null) throw new GatewayError('CASE_NOT_FOUND', `no case ${number}`);
      // known here before the commit: an agent may answer in the thread as soon as it is posted
      rememberThread(id, { channel: where, ts });
      try {
        await db.transaction((tx) => setLink(tx, channel, 'case', String(id), threadRef({ channel: where, ts }), now()));
      } catch (err) {
        forgetThread(id);
        throw err;
      }
    },
    async caseByThread(where, ts) {
      const ref = threadRef({ channel: where, ts });
      const known = threadCases.get(ref);
      if (known !== undefined) return formatCaseNumber(known);
      const id = await targetOf(db.read, channel, 'case', ref);
      return id === null ? null : formatCaseNumber(Number(id));
    },
    async threadOf(number) {
      const id = parseCaseNumber(number);
      if (id === null) return null;
      const known = threads.get(id);
      if (known) return known;
      // a case without a thread is asked again next time: another instance may have posted its card
      const ref = await linkOf(db.read, channel, 'case', String(id));
      const thread = ref === null ? null : parseThreadRef(ref);
      if (thread) rememberThread(id, thread);
      return thread;
    },
    onEvent(listener) {
      // Translation may read what an event lacks; chaining keeps the events in the order they happened.
      let chain: Promise<unknown> = Promise.resolve();
      const releaseViews = events.wantViews();
      const unsubscribe = events.on((e, source) => {
        // another instance mirrors its own events: each is posted once
        if (source !== 'local') return;
        chain = chain.then(() => translate(e)).then((d) => d && listener(d)).catch(() => undefined);
      });
      return () => {
        unsubscribe();
        releaseViews();
      };
    },
  };

  async function translate(e: Parameters<Parameters<EventBus['on']>[0]>[0]): Promise<DeskEvent | null> {
    if (e.caseId === null) return null;
    const caseNumber = formatCaseNumber(e.caseId);
    switch (e.type) {
      case 'case.created':
        return { type: 'case.created', caseNumber, case: e.case };
      case 'case.updated':
        return { type: 'case.updated', caseNumber, changes: e.changes, origin: e.origin, case: e.case };
      case 'interaction.added': {
        const interaction = e.interaction ?? (await interactionsByIds(db.read, [e.interactionId]).then(([row]) => (row ? toInteractionView(row) : null)));
        return interaction ? { type: 'interaction.added', caseNumber, interaction, origin: e.origin, case: e.case } : null;
      }
      case 'interaction.status':
        return { type: 'interaction.status', caseNumber, interactionId: e.interactionId, status: e.status, error: e.error, case: e.case };
      case 'sla.alert': {
        const to = e.notify.filter((n) => n.channel === 'slack').map((n) => n.to ?? null);
        return to.length ? { type: 'sla.alert', caseNumber, when: e.when, target: e.target, policy: e.policy, dueAt: e.dueAt, to } : null;
      }
      default:
        return null;

    }
  }
}

/** How long queues and agents are trusted without an event saying they changed (a safety net: events can be missed). */
const DIRECTORY_CACHE_MS = 30_000;
const MAX_CACHED_AGENTS = 5_000;

/** Threads remembered at most (one per case with a card); older ones are read again when needed. */
const MAX_CACHED_THREADS = 20_000;

/** A thread as the channel's reference for a case: "where:ts" (neither holds a colon). */
function threadRef(t: { channel: string; ts: string }): string {
  return `${t.channel}:${t.ts}`;
}

function parseThreadRef(ref: string): { channel: string; ts: string } | null {
  const at = ref.indexOf(':');
  return at > 0 ? { channel: ref.slice(0, at), ts: ref.slice(at + 1) } : null;
}
