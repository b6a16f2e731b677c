import type { CaseState } from '../routing/case-state.ts';
/**
 * What an agent-facing channel (Slack) may do with cases: the same operations as the REST API,
 * checked against the agent's role, plus the events it mirrors. Channel-neutral by design.
 */
export type DeskRole = 'admin' | 'supervisor' | 'agent';

export interface DeskActor {
  agentId: string;
  name: string;
  role: DeskRole;
}

export interface DeskCase {
  number: string;
  state: string;
  priority: number;
  channel: string;
  subject: string;
  queue: string | null;
  assignee: string | null;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  contact: { name: string | null; email: string | null; phone: string | null };
  /** the agent the case is offered to and waiting for an answer, if any */
  offeredTo: string | null;
  createdAt: string;
  updatedAt: string;
  /** the case's SLA promises; null or absent when no policy applies */
  sla?: { policy: string; firstResponse: DeskSlaTarget | null; nextResponse: DeskSlaTarget | null; resolution: DeskSlaTarget | null } | null;
}

export interface DeskSlaTarget {
  dueAt: string | null;
  state: 'running' | 'paused' | 'met' | 'breached';
}

export interface DeskInteraction {
  id: string;
  direction: string;
  channel: string;
  kind: string;
  text: string;
  status: string;
  error: string | null;
  agentId: string | null;
  createdAt: string;
}

/** How a channel shows an agent: a name, and the agent's user id in the chat tool when linked. */
export interface DeskAgent {
  id: string;
  name: string;
  externalUserId: string | null;
}

export interface DeskPatch {
  state?: CaseState;
  priority?: number;
  queue?: string;
  assignee?: string | null;
}

/** `origin` names the channel an action came through, so that channel does not mirror its own action back. */
/** `case`, when given, is the case as the event left it (without its interactions): no need to read it. */
export type DeskEvent =
  | { type: 'case.created'; caseNumber: string; case?: DeskCase }
  | { type: 'case.updated'; caseNumber: string; changes: string[]; origin?: string; case?: DeskCase }
  | { type: 'interaction.added'; caseNumber: string; interaction: DeskInteraction; origin?: string; case?: DeskCase }
  | { type: 'interaction.status'; caseNumber: string; interactionId: string; status: string; error?: string | null; case?: DeskCase }
  /** an SLA moment the policy tells this channel of: `to` lists where (null: the case's own thread) */
  | { type: 'sla.alert'; caseNumber: string; when: 'warning' | 'breach'; target: string; policy: string; dueAt: string; to: Array<string | null> };

export interface AgentDesk {
  /** the agent behind a chat-tool user id; with `email`, an agent with that address is linked to the id */
  agentByExternalUser(userId: string, email?: string): Promise<DeskActor | null>;
  agentById(agentId: string): Promise<DeskAgent | null>;
  getCase(number: string): Promise<(DeskCase & { interactions: DeskInteraction[] }) | null>;
  /** raises coded errors (statusCode 4xx) for unknown cases, closed cases, forbidden changes */
  reply(number: string, actor: DeskActor, body: { text: string; internal?: boolean; takeover?: boolean }, origin: string): Promise<{ interactionId: string }>;
  update(number: string, actor: DeskActor, patch: DeskPatch, origin: string): Promise<DeskCase>;
  /** takes the case for the actor: the offer they hold, or an unoffered case they may pull; race-free */
  claim(number: string, actor: DeskActor, origin: string): Promise<void>;
  /** every queue, with where this channel posts its cases' cards (null: its default) */
  queues(): Promise<Array<{ name: string; cardsTo: string | null }>>;
  /** remember where a case's card lives, and find the case of a card's thread */
  linkThread(number: string, channel: string, ts: string): Promise<void>;
  caseByThread(channel: string, ts: string): Promise<string | null>;
  threadOf(number: string): Promise<{ channel: string; ts: string } | null>;
  onEvent(listener: (e: DeskEvent) => void): () => void;
}
