/** SLA policies, their versions and the simulation (gateway/schemas/sla.schema.ts). */

export const TARGETS = [['firstResponse', 'First response'], ['nextResponse', 'Next response'], ['resolution', 'Resolution']] as const;
export type TargetName = (typeof TARGETS)[number][0];

export type EscalationAction =
  | { type: 'priority'; value: number }
  | { type: 'tag'; value: string }
  | { type: 'queue'; value: string }
  | { type: 'assign'; value: string }
  | { type: 'notify'; channel: 'slack' | 'console' | 'email'; to?: string };

export interface Escalation {
  when: 'warning' | 'breach';
  target: TargetName | 'any';
  actions: EscalationAction[];
}

export interface SlaMatch {
  priority?: number[];
  channel?: string[];
  queue?: string[];
  category?: string[];
  tags?: string[];
  tier?: string[];
  vip?: boolean;
}

export interface SlaPolicy {
  id: string;
  name: string;
  enabled?: boolean;
  match: SlaMatch;
  /** a calendar id; "case": the account's, else the queue's, else the default; null: calendar time */
  calendar: string | null;
  targets: Partial<Record<TargetName, string>>;
  warnBefore: string | null;
  pauseStates: string[];
  escalations: Escalation[];
}

export type SlaPolicyInput = Partial<Omit<SlaPolicy, 'id'>> & { position?: number };

export interface SlaVersion {
  version: number;
  author: string;
  change: string;
  createdAt: string;
}

export interface SimulateInput {
  priority: number;
  channel: string;
  queue?: string;
  tier?: string;
  vip?: boolean;
  at?: string;
}

interface DueTimes {
  dueAt: string;
  warnAt: string | null;
}

export interface Simulation {
  policy: string | null;
  trace: string[];
  calendar: string | null;
  firstResponse: DueTimes | null;
  nextResponse: DueTimes | null;
  resolution: DueTimes | null;
}
