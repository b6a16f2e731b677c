/**
 * The few rules calls whose refusals carry `error.details` (every problem with its path) or whose answer
 * streams: api-client's `request` keeps only code and message, so these go through fetch here, with the
 * session's CSRF token as `request` sends it.
 */
import { ApiError, request } from '../../api-client.ts';
import type { RuleProblem } from './rules-types.ts';

export class RulesApiError extends ApiError {
  constructor(status: number, code: string, message: string, readonly problems: RuleProblem[]) {
    super(status, code, message);
  }
}

export async function rulesFetch(method: 'POST' | 'PATCH', path: string, body: unknown, csrf: string, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json, application/x-ndjson', 'content-type': 'application/json', 'x-csrf-token': csrf },
      credentials: 'same-origin',
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(0, 'NETWORK', 'The gateway could not be reached. Check the connection and try again.');
  }
  if (res.ok) return res;
  const data = (await res.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null;
  const err = data?.error;
  // let the session hook hear of the 401 the way it hears of any other (request reports it)
  if (res.status === 401) void request('GET', '/api/v1/me').catch(() => undefined);
  throw new RulesApiError(
    res.status,
    typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`,
    typeof err?.message === 'string' && err.message ? err.message : `The gateway answered ${res.status}.`,
    Array.isArray(err?.details) ? (err.details as RuleProblem[]).filter((d) => d && typeof d.path === 'string') : [],
  );
}

export function problemsOf(e: unknown): RuleProblem[] {
  return e instanceof RulesApiError ? e.problems : [];
}

/** Reads an NDJSON body line by line. */
export async function* ndjsonLines<T>(res: Response): AsyncGenerator<T> {
  const reader = res.body?.getReader();
  if (!reader) return;
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += decoder.decode(value ?? new Uint8Array(), { stream: !done });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) yield JSON.parse(line) as T;
      }
      if (done) break;
    }
    if (buffered.trim()) yield JSON.parse(buffered) as T;
  } finally {
    // stopping early (a cancel, a validation probe) closes the connection, which ends the replay on the server
    await reader.cancel().catch(() => undefined);
  }
}
