/** The directory and floor statistics as the admin pages get them (gateway/schemas/directory.schema.ts, stats.schema.ts). */
import type { Static } from 'typebox';
import type { AgentCreated as AgentCreatedSchema, AgentFields, AgentSchema, InviteSchema, QueuePatchBody, QueueSchema } from '../../../../gateway/schemas/directory.schema.ts';
import type { AgentStatsSchema, QueueStatsSchema } from '../../../../gateway/schemas/stats.schema.ts';
import type { Role } from '../../types.ts';

export type QueueDetail = Static<typeof QueueSchema>;

/** the strategies in order, with the names the forms show */
export const STRATEGIES = [
  ['round_robin', 'Round robin'],
  ['least_loaded', 'Least loaded'],
  ['best_skilled', 'Best skilled'],
  ['manual', 'Manual (agents pick)'],
] as const satisfies readonly (readonly [NonNullable<QueueInput['strategy']>, string])[];

export type OverflowStep = QueueDetail['overflow'][number];

export type OverflowAction = OverflowStep['actions'][number];

export type QueueInput = Static<typeof QueuePatchBody>;

type AgentShape = Static<typeof AgentSchema>;

export type ChannelCapacity = Exclude<AgentShape['capacity'], number>;

/** an agent as the directory shows it, with the role as its union */
export type AgentDetail = Omit<AgentShape, 'role'> & { role: Role };

export type AgentInput = AgentFields;

export type Invite = Static<typeof InviteSchema>;

export type AgentCreated = Omit<Static<typeof AgentCreatedSchema>, 'role'> & { role: Role };

export type QueueStats = Static<typeof QueueStatsSchema>;

export type AgentStats = Static<typeof AgentStatsSchema>;
