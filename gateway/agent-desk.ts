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

/** The case operations an agent-facing channel gets: CaseService with the channel's user mapped to an agent. */
export function createAgentDesk(db: Db, cases: CaseService, offers: OfferService, events: EventBus, now: () => Date): AgentDesk {
  return {
    async agentByExternalUser(userId, email) {
      let agent = await agentByExternalUser(db.read, userId);
      if (!agent && email) {
        const byEmail = await agentByEmail(db.read, email);
        if (byEmail && !byEmail.slackUserId && (await db.transaction((tx) => linkExternalUser(tx, byEmail.id, userId)))) agent = byEmail;
      }
      return agent ? { agentId: agent.id, name: agent.name, role: agent.role as DeskRole } : null;
    },
    async agentById(agentId) {
      const agent = await deskAgentById(db.read, agentId);
      return agent ? { id: agent.id, name: agent.name, externalUserId: agent.slackUserId } : null;
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
    queues: () => queueChannels(db.read),
    async linkThread(number, channel, ts) {
      const id = parseCaseNumber(number);
      if (id === null) throw new GatewayError('CASE_NOT_FOUND', `no case ${number}`);
      await db.transaction((tx) => linkThread(tx, id, channel, ts, now()));
    },
    async caseByThread(channel, ts) {
      const id = await caseByThread(db.read, channel, ts);
      return id === null ? null : formatCaseNumber(id);
    },
    async threadOf(number) {
      const id = parseCaseNumber(number);
      return id === null ? null : threadOf(db.read, id);
    },
    onEvent(listener) {
      // Translation reads the store; chaining keeps the events in the order they happened.
      let chain: Promise<unknown> = Promise.resolve();
      return events.on((e) => {
        chain = chain.then(() => translate(e)).then((d) => d && listener(d)).catch(() => undefined);
      });
    },
  };

  async function translate(e: Parameters<Parameters<EventBus['on']>[0]>[0]): Promise<DeskEvent | null> {
    if (e.caseId === null) return null;
    const caseNumber = formatCaseNumber(e.caseId);
    switch (e.type) {
      case 'case.created':
        return { type: 'case.created', caseNumber };
      case 'case.updated':
        return { type: 'case.updated', caseNumber, changes: e.changes, origin: e.origin };
      case 'interaction.added': {
        const [row] = await interactionsByIds(db.read, [e.interactionId]);
        return row ? { type: 'interaction.added', caseNumber, interaction: toInteractionView(row), origin: e.origin } : null;
      }
      case 'interaction.status':
        return { type: 'interaction.status', caseNumber, interactionId: e.interactionId, status: e.status, error: e.error };
    }
  }
}
