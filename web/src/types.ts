/** The shapes the gateway's API and stream answer with (see gateway/schemas/*.schema.ts). */

import type { Static } from 'typebox';
import type { AttachmentSchema, CaseCountsSchema, CaseDetailSchema, CasePage as CasePageSchema, CaseSchema, InteractionSchema, UploadSchema } from '../../gateway/schemas/case.schema.ts';
import type { AgentSchema, PresenceBody, QueueSchema } from '../../gateway/schemas/directory.schema.ts';
import type { SessionSchema } from '../../gateway/schemas/auth.schema.ts';
import type { CannedResponseSchema } from '../../gateway/schemas/canned-response.schema.ts';
import type { SavedView as SavedViewShape, SavedViewFilterValues } from '../../gateway/schemas/saved-view.schema.ts';
import type { ContactDetail as ContactDetailSchema } from '../../gateway/schemas/customer.schema.ts';

export type CaseView = Static<typeof CaseSchema>;
export type CaseState = CaseView['state'];
export const CASE_STATES: readonly CaseState[] = ['new', 'open', 'awaiting_customer', 'resolved', 'closed'];
export const OPEN_STATES: readonly CaseState[] = ['new', 'open', 'awaiting_customer'];
export const CHANNELS = ['chat', 'email', 'sms', 'slack'] as const;
export type Role = Static<typeof SessionSchema>['role'];
export type Presence = Static<typeof PresenceBody>['presence'];
export const PRESENCES: readonly Presence[] = ['online', 'busy', 'break', 'away', 'offline'];

export type CaseSla = NonNullable<CaseView['sla']>;
export type SlaTarget = NonNullable<CaseSla['firstResponse']>;

export type Attachment = Static<typeof AttachmentSchema>;

/** a file stored by POST /api/v1/uploads, for a reply or note to carry */
export type UploadedFile = Static<typeof UploadSchema>;

/** the schema types `attachments` loosely (unknown[]); here they are the attachment shape it documents */
export type Interaction = Omit<Static<typeof InteractionSchema>, 'attachments'> & { attachments: Attachment[] };

export type CaseDetail = Omit<Static<typeof CaseDetailSchema>, 'interactions'> & { interactions: Interaction[] };

export type CasePage = Static<typeof CasePageSchema>;

type AgentShape = Static<typeof AgentSchema>;
/** the part of an agent the workspace uses, with its role and presence as their unions */
export type Agent = Pick<AgentShape, 'id' | 'name' | 'email' | 'queues' | 'presenceReason' | 'presenceUntil' | 'wrapUpUntil'> & { role: Role; presence: Presence };

export type Queue = Pick<Static<typeof QueueSchema>, 'id' | 'name' | 'strategy' | 'offerTimeoutSeconds'>;

export type Session = Omit<Static<typeof SessionSchema>, 'agent'> & { agent: Agent };

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

export type ViewCounts = Static<typeof CaseCountsSchema>;

export type CannedResponse = Static<typeof CannedResponseSchema>;

/** the GET /api/v1/cases parameters a saved view keeps */
export type SavedViewFilters = SavedViewFilterValues;

export type SavedView = SavedViewShape;

export type ContactDetail = Static<typeof ContactDetailSchema>;
export type ContactIdentity = ContactDetail['identities'][number];

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
