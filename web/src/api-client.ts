/**
 * Every call to the gateway goes through here: JSON in and out, the CSRF header on each state-changing
 * request, `{error: {code, message}}` turned into a thrown ApiError, and a 401 reported as a session that ended.
 * The session cookie is httpOnly: this module never sees or stores a credential, only the CSRF token.
 */
import type {
  Agent, CannedResponse, CaseDetail, CasePage, CaseView, ContactDetail, Presence, Queue, SavedView, SavedViewFilters, Session, UploadedFile, ViewCounts,
} from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** what the gateway gave besides, e.g. the path of each problem of a refused change (`[{path, message}]`) */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called whenever a call answers 401: the session is over. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  /** a 401 is an expected answer (sign-in, the session probe): do not report the session as ended */
  expect401?: boolean;
}

/** `body`: JSON, or a file sent as it is (its own media type) */
export async function request<T>(method: Method, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const raw = body instanceof Blob;
  if (raw) headers['content-type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: raw ? body : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The gateway could not be reached. Check the connection and try again.');
  }
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.ok) return data as T;
  const err = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`;
  const message =
    typeof err?.message === 'string' && err.message
      ? err.message
      : res.status === 429
        ? 'Too many attempts; wait a moment and try again.'
        : `The gateway answered ${res.status}.`;
  if (res.status === 401 && !opts.expect401) for (const l of unauthorizedListeners) l();
  throw new ApiError(res.status, code, message, err?.details);
}

const enc = encodeURIComponent;

export interface CaseListParams {
  state?: string;
  queue?: string;
  channel?: string;
  assignee?: string;
  offeredTo?: string;
  priority?: string;
  tag?: string;
  sla?: 'soon';
  q?: string;
  sort?: 'newest' | 'oldest' | 'priority' | 'due';
  limit?: number;
  cursor?: string | null;
}

export interface CasePatch {
  state?: string;
  priority?: number;
  queue?: string;
  assignee?: string | null;
  tags?: string[];
}

export interface ReplyInput {
  text: string;
  internal: boolean;
  attachments?: Pick<UploadedFile, 'id' | 'name' | 'contentType'>[];
}

export interface CannedInput {
  shortcut?: string;
  title?: string;
  text?: string;
  shared?: boolean;
  queue?: string | null;
}

export interface ContactPatch {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export const api = {
  // session
  session: () => request<Session>('GET', '/auth/session', undefined, { expect401: true }),
  signIn: (email: string, password: string) => request<Session>('POST', '/auth/sign-in', { email, password }, { expect401: true }),
  signOut: () => request<null>('POST', '/auth/sign-out', undefined, { expect401: true }),
  signOutEverywhere: () => request<null>('POST', '/auth/sign-out-everywhere', undefined, { expect401: true }),
  invitation: (token: string) => request<{ name: string; email: string }>('GET', `/auth/invitations/${enc(token)}`, undefined, { expect401: true }),
  acceptInvitation: (token: string, password: string) =>
    request<Session>('POST', `/auth/invitations/${enc(token)}`, { password }, { expect401: true }),

  // cases
  listCases(p: CaseListParams): Promise<CasePage> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    return request<CasePage>('GET', `/api/v1/cases?${qs}`);
  },
  caseCounts: () => request<ViewCounts>('GET', '/api/v1/cases/counts'),
  getCase: (number: string) => request<CaseDetail>('GET', `/api/v1/cases/${enc(number)}`),
  patchCase: (number: string, patch: CasePatch) => request<CaseView>('PATCH', `/api/v1/cases/${enc(number)}`, patch),
  reply: (number: string, body: ReplyInput) => request<{ interactionId: string }>('POST', `/api/v1/cases/${enc(number)}/replies`, body),
  /** stores a file for a reply or note to carry */
  upload: (file: File) => request<UploadedFile>('POST', `/api/v1/uploads?name=${enc(file.name || 'file')}`, file),
  claim: (number: string) => request<CaseView>('POST', `/api/v1/cases/${enc(number)}/claim`, {}),
  resend: (number: string, interactionId: string) =>
    request<{ interactionId: string }>('POST', `/api/v1/cases/${enc(number)}/interactions/${enc(interactionId)}/resend`, {}),
  /** where an attachment opens (the session cookie authorizes it) */
  attachmentUrl: (number: string, interactionId: string, index: number) => `/api/v1/cases/${enc(number)}/interactions/${enc(interactionId)}/attachments/${index}`,
  decline: (number: string, reason?: string) =>
    request<CaseView>('POST', `/api/v1/cases/${enc(number)}/decline`, reason ? { reason } : {}),

  // canned responses
  cannedResponses: (queue?: string | null) =>
    request<{ items: CannedResponse[] }>('GET', `/api/v1/canned-responses${queue ? `?queue=${enc(queue)}` : ''}`),
  createCanned: (body: CannedInput) => request<CannedResponse>('POST', '/api/v1/canned-responses', body),
  patchCanned: (id: string, body: CannedInput) => request<CannedResponse>('PATCH', `/api/v1/canned-responses/${enc(id)}`, body),
  deleteCanned: (id: string) => request<null>('DELETE', `/api/v1/canned-responses/${enc(id)}`),

  // saved views (each agent's own)
  savedViews: () => request<{ items: SavedView[] }>('GET', '/api/v1/saved-views'),
  createSavedView: (name: string, filters: SavedViewFilters) => request<SavedView>('POST', '/api/v1/saved-views', { name, filters }),
  deleteSavedView: (id: string) => request<null>('DELETE', `/api/v1/saved-views/${enc(id)}`),

  // contacts
  contact: (id: string) => request<ContactDetail>('GET', `/api/v1/contacts/${enc(id)}`),
  patchContact: (id: string, patch: ContactPatch) => request<Omit<ContactDetail, 'cases'>>('PATCH', `/api/v1/contacts/${enc(id)}`, patch),

  // directory
  me: () => request<{ role: string; agent: Agent | null }>('GET', '/api/v1/me'),
  queues: () => request<{ items: Queue[] }>('GET', '/api/v1/queues'),
  agents: () => request<{ items: Agent[] }>('GET', '/api/v1/agents'),
  setPresence: (agentId: string, presence: Presence) =>
    request<Agent>('PUT', `/api/v1/agents/${enc(agentId)}/presence`, { presence }),
};

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
