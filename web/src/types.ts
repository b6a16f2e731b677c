/** The shapes the gateway's API and stream answer with (see gateway/schemas/*.schema.ts). */

export type CaseState = 'new' | 'open' | 'awaiting_customer' | 'resolved' | 'closed';
export const CASE_STATES: readonly CaseState[] = ['new', 'open', 'awaiting_customer', 'resolved', 'closed'];
export const OPEN_STATES: readonly CaseState[] = ['new', 'open', 'awaiting_customer'];
export const CHANNELS = ['chat', 'email', 'sms', 'slack'] as const;
export type Role = 'agent' | 'supervisor' | 'admin';
export type Presence = 'online' | 'busy' | 'break' | 'away' | 'offline';
export const PRESENCES: readonly Presence[] = ['online', 'busy', 'break', 'away', 'offline'];

export interface SlaTarget {
  dueAt: string | null;
  state: 'running' | 'paused' | 'met' | 'breached';
  remainingSeconds: number;
  business: boolean;
}

export interface CaseSla {
  policy: string;
  calendar: string | null;
  firstResponse: SlaTarget | null;
  nextResponse: SlaTarget | null;
  resolution: SlaTarget | null;
}

export interface CaseView {
  number: string;
  state: CaseState;
  priority: number;
  channel: string;
  subject: string;
  queue: string | null;
  assignee: string | null;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  requiredSkills: string[];
  contact: { name: string | null; email: string | null; phone: string | null };
  linkedCase: string | null;
  offeredTo: string | null;
  /** when the offer was made and when it lapses (null without an offer; absent from older gateways) */
  offeredAt?: string | null;
  offerExpiresAt?: string | null;
  contactId?: string | null;
  accountId?: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  sla: CaseSla | null;
}

export interface Attachment {
  name: string;
  contentType: string;
  size: number;
  sha256?: string;
  /** set when the content was stored: it can be opened */
  storedPath?: string;
}

/** a file stored by POST /api/v1/uploads, for a reply or note to carry */
export interface UploadedFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export interface Interaction {
  id: string;
  direction: 'inbound' | 'outbound' | 'note' | 'event' | string;
  channel: string;
  kind: string;
  text: string;
  subject: string | null;
  status: string;
  error: string | null;
  agentId: string | null;
  attachments: Attachment[];
  createdAt: string;
}

export interface CaseDetail extends CaseView {
  routing: unknown;
  interactions: Interaction[];
}

export interface CasePage {
  items: CaseView[];
  nextCursor: string | null;
}

export interface Agent {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  queues: string[];
  presence: Presence;
  presenceReason: string | null;
  presenceUntil: string | null;
  wrapUpUntil: string | null;
}

export interface Queue {
  id: string;
  name: string;
  strategy: string;
  offerTimeoutSeconds: number | null;
}

export interface Session {
  agent: Agent;
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

export interface CaseFrame {
  type: 'case.created' | 'case.updated' | 'interaction.added' | 'interaction.status' | 'sla.alert' | 'assignment.alert' | 'note.mention';
  /** note.mention: the agents the note names */
  mentioned?: string[];
  case: CaseView;
  interaction?: Interaction;
  changes?: string[];
  origin?: string;
  alert?: { when: 'warning' | 'breach'; target: string; policy: string; dueAt: string };
  reason?: string;
}

export interface Viewer {
  agentId: string;
  name: string;
  typing: boolean;
}

export interface PresenceFrame {
  type: 'case.presence';
  case: string;
  viewers: Viewer[];
}

export interface ViewCounts {
  offeredToMe: number;
  mine: number;
  unassigned: number;
  open: number;
  breachingSoon: number;
  resolved: number;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  shared: boolean;
  queue: string | null;
  ownerId: string | null;
}

/** the GET /api/v1/cases parameters a saved view keeps */
export interface SavedViewFilters {
  state?: string;
  queue?: string;
  channel?: string;
  priority?: number;
  assignee?: string;
  tag?: string;
  q?: string;
  sort?: string;
  sla?: 'soon';
}

export interface SavedView {
  id: string;
  name: string;
  filters: SavedViewFilters;
  createdAt: string;
}

export interface ContactIdentity {
  channel: string;
  address: string;
  optedOut: boolean;
}

export interface ContactDetail {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  account: { id: string; name: string; tier: string; vip: boolean } | null;
  identities: ContactIdentity[];
  createdAt: string;
  updatedAt: string;
  cases: CaseView[];
}

export type StreamFrame =
  | CaseFrame
  | PresenceFrame
  | { type: 'resync'; skipped: number }
  | { type: 'hello'; role: Role; agentId: string | null }
  | { type: 'pong' };

export function isCaseFrame(f: StreamFrame): f is CaseFrame {
  return 'case' in f && typeof f.case === 'object' && f.case !== null;
}

export function isPresenceFrame(f: StreamFrame): f is PresenceFrame {
  return f.type === 'case.presence' && Array.isArray((f as PresenceFrame).viewers);
}
