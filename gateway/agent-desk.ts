import type { Db } from '../store/db.ts';
import { interactionsByIds, toInteractionView } from '../store/interaction.repository.ts';
import {
  agentByEmail, agentByExternalUser, caseByThread, deskAgentById, linkExternalUser, linkThread, queueChannels, threadOf,
} from '../store/desk-link.repository.ts';
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
export function createAgentDesk(db: Db, cases: CaseService, offers: OfferService, events: EventBus, now: () => Date): AgentDesk {
  let queues: Promise<Array<{ name: string; slackChannel: string | null }>> | null = null;
  const agents = new Map<string, Promise<{ id: string; name: string; externalUserId: string | null } | null>>();
  const threads = new Map<number, { channel: string; ts: string }>();
  events.on((e) => {
    if (e.type !== 'directory.changed') return;
    queues = null;
    agents.clear();
  });
  const rememberThread = (id: number, thread: { channel: string; ts: string }) => {
    if (threads.size >= MAX_CACHED_THREADS) threads.delete(threads.keys().next().value!);
    threads.set(id, thread);
  };
  return {
    async agentByExternalUser(userId, email) {
      let agent = await agentByExternalUser(db.read, userId);
      if (!agent && email) {
        const byEmail = await agentByEmail(db.read, email);
        if (byEmail && !byEmail.slackUserId && (await db.transaction((tx) => linkExternalUser(tx, byEmail.id, userId)))) {
          agent = byEmail;
          agents.delete(byEmail.id);
        }
      }
      return agent ? { agentId: agent.id, name: agent.name, role: agent.role as DeskRole } : null;
    },
    agentById(agentId) {
      let agent = agents.get(agentId);
      if (!agent) {
        agent = deskAgentById(db.read, agentId).then((a) => (a ? { id: a.id, name: a.name, externalUserId: a.slackUserId } : null));
        // a failed read is not kept
        agent.catch(() => agents.delete(agentId));
        agents.set(agentId, agent);
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
      if (!queues) {
        const read = queueChannels(db.read);
        read.catch(() => {
          if (queues === read) queues = null;
        });
        queues = read;
      }
      return queues;
    },
    async linkThread(number, channel, ts) {
      const id = parseCaseNumber(number);
      if (id === null) throw new GatewayError('CASE_NOT_FOUND', `no case ${number}`);
      await db.transaction((tx) => linkThread(tx, id, channel, ts, now()));
      rememberThread(id, { channel, ts });
    },
    async caseByThread(channel, ts) {
      const id = await caseByThread(db.read, channel, ts);
      return id === null ? null : formatCaseNumber(id);
    },
    async threadOf(number) {
      const id = parseCaseNumber(number);
      if (id === null) return null;
      const known = threads.get(id);
      if (known) return known;
      // a case without a thread is asked again next time: another instance may have posted its card
      const thread = await threadOf(db.read, id);
      if (thread) rememberThread(id, thread);
      return thread;
    },
    onEvent(listener) {
      // Translation may read what an event lacks; chaining keeps the events in the order they happened.
      let chain: Promise<unknown> = Promise.resolve();
      const releaseViews = events.wantViews();
      const unsubscribe = events.on((e) => {
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

    }
  }
}

/** Threads remembered at most (one per case with a card); older ones are read again when needed. */
const MAX_CACHED_THREADS = 20_000;
