import { Type, type Static } from 'typebox';
import { Nullable, type Assert, type SameShape } from './common.schema.ts';
import type { AgentStats, QueueStats } from '../stats/stats.service.ts';

const Level = Type.Object({
  inTime: Type.Integer({ description: 'cases answered within the target' }),
  late: Type.Integer({ description: 'cases answered after it, or unanswered past it' }),
  share: Nullable(Type.Number({ description: 'inTime / (inTime + late); null while no case counts' })),
});

const presenceCount = Type.Integer({ minimum: 0 });

export const QueueStatsSchema = Type.Object(
  {
    queue: Type.String(),
    strategy: Type.String(),
    waiting: Type.Integer({ description: 'unassigned cases waiting for an agent, offered or not' }),
    offered: Type.Integer({ description: 'of those, the ones offered to an agent now' }),
    longestWaitSeconds: Type.Integer(),
    averageWaitSeconds: Type.Integer(),
    serviceLevel: Type.Object({
      targetSeconds: Type.Integer({ description: 'the queue’s serviceLevelSeconds' }),
      today: Level,
      lastHour: Level,
    }),
    agents: Type.Object({ online: presenceCount, busy: presenceCount, break: presenceCount, away: presenceCount, offline: presenceCount }, { description: 'the agents who work the queue, by presence' }),
  },
  { $id: 'QueueStats' },
);

export const AgentStatsSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    presence: Type.String(),
    presenceReason: Nullable(Type.String()),
    presenceUntil: Nullable(Type.String({ format: 'date-time' })),
    wrapUpUntil: Nullable(Type.String({ format: 'date-time' })),
    openCases: Type.Integer(),
    offers: Type.Integer(),
    capacity: Type.Integer({ description: 'all channels together' }),
    occupancy: Nullable(Type.Number({ description: '(open cases + offers) / capacity' })),
    resolvedToday: Type.Integer(),
    averageHandleSeconds: Nullable(Type.Integer({ description: 'from taking a case to resolving it, over today’s resolved cases' })),
  },
  { $id: 'AgentStats' },
);

export const QueueStatsList = Type.Object({ at: Type.String({ format: 'date-time' }), items: Type.Array(QueueStatsSchema) });
export const AgentStatsList = Type.Object({ at: Type.String({ format: 'date-time' }), items: Type.Array(AgentStatsSchema) });

export type QueueStatsSchemaMatches = Assert<SameShape<Static<typeof QueueStatsSchema>, QueueStats>>;
export type AgentStatsSchemaMatches = Assert<SameShape<Static<typeof AgentStatsSchema>, AgentStats>>;
