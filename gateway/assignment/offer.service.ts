import type { Db } from '../../store/db.ts';
import { claimCase, endOffer, resetMissedOffers } from '../../store/assignment.repository.ts';
import { addCaseEvent } from '../../store/interaction.repository.ts';
import { toCaseView, type CaseView } from '../../store/case.repository.ts';
import { requireCase } from '../cases/case.service.ts';
import { agentName, asSeenBy, assertMayTake } from './may-take.ts';
import type { Actor } from '../auth.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import { attachViews } from '../event-views.ts';
import { GatewayError } from '../errors.ts';
import type { OfferReporter } from '../metrics/reporters.ts';

export interface OfferServiceDeps {
  db: Db;
  events: EventBus;
  now: () => Date;
  metrics?: OfferReporter;
}

function agentOf(actor: Actor): string {
  if (!actor.agentId) throw new GatewayError('NOT_AN_AGENT', 'only a token that belongs to an agent can take or decline cases');
  return actor.agentId;
}

/**
 * How an agent takes a case: accepting the offer they hold, or pulling an unoffered case from a queue
 * they work (the way of manual queues); and how they decline an offer so it moves on at once.
 */
export class OfferService {
  constructor(private readonly deps: OfferServiceDeps) {}

  async claim(number: string, actor: Actor, origin = 'api'): Promise<CaseView> {
    const agentId = agentOf(actor);
    const now = this.deps.now();
    const events: GatewayEvent[] = [];
    let acceptedOffer = false;
    const view = await this.deps.db.transaction(async (tx) => {
      const kase = await requireCase(tx, number);
      if (kase.assigneeId === agentId) return toCaseView(kase); // already theirs: claiming again changes nothing
      if (kase.state === 'resolved' || kase.state === 'closed') {
        throw new GatewayError('CASE_NOT_CLAIMABLE', `${number} is ${kase.state}`);
      }
      // pulling, and accepting an offer made before a change (of the agent's queues or skills, the case's needs)
      const seen = await asSeenBy(tx, kase, agentId);
      await assertMayTake(tx, seen.kase, agentId);
      // the compare-and-set decides between concurrent claims: exactly one wins
      if (!(await claimCase(tx, kase.id, agentId, now))) throw new GatewayError('CASE_NOT_CLAIMABLE', `${number} was just taken by someone else`);
      await addCaseEvent(tx, { caseId: kase.id, channel: kase.channel, agentId, text: `claimed by ${await agentName(tx, agentId)}`, now });
      // taking the offer one holds; pulling an unoffered case is no offer's outcome
      acceptedOffer = seen.kase.offeredToId === agentId;
      const changes = ['assignee', ...(kase.offeredToId ? ['offeredTo'] : []), ...(kase.state === 'new' ? ['state'] : [])];
      const event: GatewayEvent = { type: 'case.updated', caseId: kase.id, changes, actor: agentId, origin };
      events.push(event);
      await attachViews(tx, events);
      return event.case!;
    });
    for (const e of events) this.deps.events.emit(e);
    if (acceptedOffer) this.deps.metrics?.offers('accepted');
    return view;
  }

  /** Hands an offer back: the case goes to the next agent now, and skips this one until a new round. */
  async decline(number: string, actor: Actor, reason?: string, origin = 'api'): Promise<CaseView> {
    const agentId = agentOf(actor);
    const now = this.deps.now();
    const event = await this.deps.db.transaction(async (tx) => {
      const kase = await requireCase(tx, number);
      const { broadcast: extra } = await asSeenBy(tx, kase, agentId);
      if ((kase.offeredToId !== agentId && !extra) || kase.assigneeId) throw new GatewayError('NOT_OFFERED', `${number} is not offered to you`);
      if (!(await endOffer(tx, { id: kase.id, offeredToId: agentId, offeredAt: kase.offeredAt, extra }, true, now))) {
        throw new GatewayError('NOT_OFFERED', `${number} is not offered to you any more`);
      }
      // a decline is an answer: it ends a run of missed offers
      await resetMissedOffers(tx, agentId);
      const why = reason?.trim() ? `: ${reason.trim()}` : '';
      await addCaseEvent(tx, { caseId: kase.id, channel: kase.channel, agentId, text: `offer declined by ${await agentName(tx, agentId)}${why}`, now });
      const declined: GatewayEvent & { type: 'case.updated' } = { type: 'case.updated', caseId: kase.id, changes: ['offeredTo'], actor: agentId, origin };
      await attachViews(tx, [declined]);
      return declined;
    });
    this.deps.events.emit(event);
    this.deps.metrics?.offers('declined');
    return event.case!;
  }
}
