import { DateTime } from 'luxon';
import type { Db } from '../../store/db.ts';
import { agentSnapshots } from '../../store/assignment.repository.ts';
import { listAgents, listQueues } from '../../store/directory.repository.ts';
import { agentsHandled, offersPerAgent, queueWaiting, serviceLevels, type ServiceLevelCounts } from '../../store/stats.repository.ts';
import type { AgentSnapshot } from '../../routing/pick-agent.ts';

export interface ServiceLevel {
  /** answered within the queue's target */
  inTime: number;
  /** answered after it, or unanswered past it */
  late: number;
  /** inTime / (inTime + late); null when no case counts yet */
  share: number | null;
}

export interface QueueStats {
  queue: string;
  strategy: string;
  /** unassigned cases waiting for an agent, offered or not */
  waiting: number;
  offered: number;
  longestWaitSeconds: number;
  averageWaitSeconds: number;
  serviceLevel: { targetSeconds: number; today: ServiceLevel; lastHour: ServiceLevel };
  /** the agents who work the queue, by presence */
  agents: Record<'online' | 'busy' | 'break' | 'away' | 'offline', number>;
}

export interface AgentStats {
  id: string;
  name: string;
  presence: string;
  presenceReason: string | null;
  presenceUntil: string | null;
  wrapUpUntil: string | null;
  /** open cases assigned to the agent */
  openCases: number;
  /** offers the agent holds now */
  offers: number;
  /** concurrent cases the agent takes, all channels together */
  capacity: number;
  /** (open cases + offers) / capacity; null with no capacity */
  occupancy: number | null;
  resolvedToday: number;
  averageHandleSeconds: number | null;
}

const PRESENCES = ['online', 'busy', 'break', 'away', 'offline'] as const;

function level(c: ServiceLevelCounts | undefined): ServiceLevel {
  const inTime = c?.inTime ?? 0;
  const late = c?.late ?? 0;
  return { inTime, late, share: inTime + late > 0 ? Math.round((inTime / (inTime + late)) * 1000) / 1000 : null };
}

function totalCapacity(a: AgentSnapshot): number {
  return typeof a.capacity === 'number' ? a.capacity : Object.values(a.capacity).reduce<number>((s, n) => s + (n ?? 0), 0);
}

/**
 * Live statistics for a floor lead and wallboards: per queue its depth, waits, service level (today, in
 * the default time zone, and the last hour) and the presence of its agents; per agent their load,
 * occupancy and handle time.
 */
export class StatsService {
  constructor(private readonly deps: { db: Db; now: () => Date; timeZone: string }) {}

  private todayStart(now: Date): Date {
    return DateTime.fromJSDate(now, { zone: this.deps.timeZone }).startOf('day').toJSDate();
  }

  async queues(): Promise<{ at: string; items: QueueStats[] }> {
    const now = this.deps.now();
    const x = this.deps.db.read;
    const queues = await listQueues(x);
    const waiting = new Map((await queueWaiting(x, now)).map((w) => [w.queueId, w]));
    const today = new Map((await serviceLevels(x, this.todayStart(now), now)).map((s) => [s.queueId, s]));
    const lastHour = new Map((await serviceLevels(x, new Date(now.getTime() - 3_600_000), now)).map((s) => [s.queueId, s]));
    const agents = await agentSnapshots(x);
    const items = queues.map((q): QueueStats => {
      const w = waiting.get(q.id);
      const presence = Object.fromEntries(PRESENCES.map((p) => [p, 0])) as QueueStats['agents'];
      for (const a of agents) if (!a.queues?.length || a.queues.includes(q.name)) presence[a.presence] = (presence[a.presence] ?? 0) + 1;
      return {
        queue: q.name,
        strategy: q.strategy,
        waiting: w?.waiting ?? 0,
        offered: w?.offered ?? 0,
        longestWaitSeconds: w?.longestWait ?? 0,
        averageWaitSeconds: w?.averageWait ?? 0,
        serviceLevel: { targetSeconds: q.serviceLevelSeconds, today: level(today.get(q.id)), lastHour: level(lastHour.get(q.id)) },
        agents: presence,
      };
    });
    return { at: now.toISOString(), items };
  }

  async agents(): Promise<{ at: string; items: AgentStats[] }> {
    const now = this.deps.now();
    const x = this.deps.db.read;
    const rows = new Map((await listAgents(x)).map((a) => [a.id, a]));
    const offers = await offersPerAgent(x);
    const handled = new Map((await agentsHandled(x, this.todayStart(now))).map((h) => [h.agentId, h]));
    const items = (await agentSnapshots(x)).map((a): AgentStats => {
      const row = rows.get(a.id);
      const held = offers.get(a.id) ?? 0;
      const load = Object.values(a.load).reduce<number>((s, n) => s + (n ?? 0), 0);
      const capacity = totalCapacity(a);
      const h = handled.get(a.id);
      return {
        id: a.id,
        name: a.name ?? a.id,
        presence: a.presence,
        presenceReason: row?.presenceReason ?? null,
        presenceUntil: row?.presenceUntil?.toISOString() ?? null,
        wrapUpUntil: a.wrapUpUntil && a.wrapUpUntil > now ? a.wrapUpUntil.toISOString() : null,
        openCases: load - held,
        offers: held,
        capacity,
        occupancy: capacity > 0 ? Math.round((load / capacity) * 1000) / 1000 : null,
        resolvedToday: h?.resolved ?? 0,
        averageHandleSeconds: h ? h.averageHandle : null,
      };
    });
    return { at: now.toISOString(), items };
  }
}
