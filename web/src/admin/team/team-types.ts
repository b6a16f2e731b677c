/** The directory and floor statistics as the admin pages get them (gateway/schemas/directory.schema.ts, stats.schema.ts). */
import type { Role } from '../../types.ts';

export const STRATEGIES = [
  ['round_robin', 'Round robin'],
  ['least_loaded', 'Least loaded'],
  ['best_skilled', 'Best skilled'],
  ['manual', 'Manual (agents pick)'],
] as const;

export type OverflowAction =
  | { type: 'relaxSkills' }
  | { type: 'widen'; queues: string[] }
  | { type: 'move'; queue: string }
  | { type: 'priority'; value: number }
  | { type: 'alert' };

export interface OverflowStep {
  afterSeconds: number;
  actions: OverflowAction[];
}

export interface QueueDetail {
  id: string;
  name: string;
  strategy: string;
  slackChannel: string | null;
  ackTemplate: string | null;
  offerTimeoutSeconds: number | null;
  calendarId: string | null;
  wrapUpSeconds: number;
  maxOfferRounds: number;
  broadcastOffers: number;
  serviceLevelSeconds: number;
  overflow: OverflowStep[];
  agingSeconds: number | null;
}

export type QueueInput = Partial<Omit<QueueDetail, 'id'>>;

export type ChannelCapacity = Partial<Record<'chat' | 'email' | 'sms' | 'slack', number>>;

export interface AgentDetail {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  slackUserId: string | null;
  skills: string[];
  skillLevels: Record<string, number>;
  queues: string[];
  capacity: number | ChannelCapacity;
  presence: string;
  presenceReason: string | null;
  presenceUntil: string | null;
  wrapUpUntil: string | null;
  /** absent from gateways before deactivation existed: active */
  active?: boolean;
}

export type AgentInput = Partial<Pick<AgentDetail, 'name' | 'email' | 'role' | 'slackUserId' | 'skills' | 'skillLevels' | 'queues' | 'capacity' | 'presence'>>;

export interface Invite {
  url: string;
  expiresAt: string;
  /** null: nobody mailed it; hand the link over */
  emailedTo: string | null;
}

export interface AgentCreated extends AgentDetail {
  token: string;
  invite: Invite | null;
}

interface Level {
  inTime: number;
  late: number;
  share: number | null;
}

export interface QueueStats {
  queue: string;
  strategy: string;
  waiting: number;
  offered: number;
  longestWaitSeconds: number;
  averageWaitSeconds: number;
  serviceLevel: { targetSeconds: number; today: Level; lastHour: Level };
  agents: Record<'online' | 'busy' | 'break' | 'away' | 'offline', number>;
}

export interface AgentStats {
  id: string;
  name: string;
  presence: string;
  presenceReason: string | null;
  presenceUntil: string | null;
  wrapUpUntil: string | null;
  openCases: number;
  offers: number;
  capacity: number;
  occupancy: number | null;
  resolvedToday: number;
  averageHandleSeconds: number | null;
}
