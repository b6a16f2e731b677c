import type { Db } from '../store/db.ts';
import { toInteractionView } from '../store/interaction.repository.ts';
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
      let agent = await db.prisma.agent.findUnique({ where: { slackUserId: userId } });
      if (!agent && email) {
        const byEmail = await db.prisma.agent.findUnique({ where: { email: email.toLowerCase() } });
        if (byEmail && !byEmail.slackUserId) {
          agent = await db.write((tx) => tx.agent.update({ where: { id: byEmail.id }, data: { slackUserId: userId } }));
        }
      }
      return agent ? { agentId: agent.id, name: agent.name, role: agent.role as DeskRole } : null;
    },
    async agentById(agentId) {
      const agent = await db.prisma.agent.findUnique({ where: { id: agentId }, select: { id: true, name: true, slackUserId: true } });
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
    async queues() {
      const rows = await db.prisma.queue.findMany({ orderBy: { createdAt: 'asc' }, select: { name: true, slackChannel: true } });
      return rows;
    },
    async linkThread(number, channel, ts) {
      const id = parseCaseNumber(number);
      if (id === null) throw new GatewayError('CASE_NOT_FOUND', `no case ${number}`);
      await db.write((tx) => tx.case.update({ where: { id }, data: { slackChannel: channel, slackTs: ts, updatedAt: now() } }));
    },
    async caseByThread(channel, ts) {
      const row = await db.prisma.case.findFirst({ where: { slackChannel: channel, slackTs: ts }, select: { id: true } });
      return row ? formatCaseNumber(row.id) : null;
    },
    async threadOf(number) {
      const id = parseCaseNumber(number);
      if (id === null) return null;
      const row = await db.prisma.case.findUnique({ where: { id }, select: { slackChannel: true, slackTs: true } });
      return row?.slackChannel && row.slackTs ? { channel: row.slackChannel, ts: row.slackTs } : null;
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
        const row = await db.prisma.interaction.findUnique({ where: { id: e.interactionId } });
        return row ? { type: 'interaction.added', caseNumber, interaction: toInteractionView(row), origin: e.origin } : null;
      }
      case 'interaction.status':
        return { type: 'interaction.status', caseNumber, interactionId: e.interactionId, status: e.status, error: e.error };
    }
  }
}
