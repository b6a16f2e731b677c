import type { Executor } from '../store/executor.ts';
import { streamViews } from '../store/stream.repository.ts';
import type { EventBus, GatewayEvent } from './events.ts';

/**
 * Gives the events of one transaction the case and interaction they name, as the transaction leaves them:
 * two reads on the writer's connection, whatever the number of events and of listeners. Consoles and
 * agent-facing channels then render from the event instead of reading the store for each one.
 */
export async function attachViews(tx: Executor, events: GatewayEvent[]): Promise<GatewayEvent[]> {
  const caseIds = [...new Set(events.flatMap((e) => (e.caseId === null ? [] : [e.caseId])))];
  if (caseIds.length === 0) return events;
  const interactionIds = [...new Set(events.flatMap((e) => ('interactionId' in e ? [e.interactionId] : [])))];
  const { cases, interactions } = await streamViews(tx, caseIds, interactionIds);
  for (const e of events) {
    if (e.caseId === null) continue;
    e.case = cases.get(e.caseId);
    if ('interactionId' in e) e.interaction = interactions.get(e.interactionId);
  }
  return events;
}

/** `attachViews` on the paths that run per message, only while a listener renders events (nobody reads them otherwise). */
export async function attachViewsIfWanted(tx: Executor, events: GatewayEvent[], bus: EventBus | undefined): Promise<GatewayEvent[]> {
  return bus?.viewsWanted ? attachViews(tx, events) : events;
}
