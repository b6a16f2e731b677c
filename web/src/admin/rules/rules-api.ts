/** The rules API, for the admin's rules and lexicon pages. */
import { request } from '../../api-client.ts';
import type { Queue } from '../../types.ts';
import { ndjsonLines, rulesFetch } from './rules-http.ts';
import type {
  AuditEntry, Lexicon, Page, ReplayDraft, ReplayEvent, Rule, RuleDocument, RuleHit, RuleVersion, SimulateInput, SimulateResult,
} from './rules-types.ts';

const enc = encodeURIComponent;

export const rulesApi = {
  document: () => request<RuleDocument>('GET', '/api/v1/rules'),
  version: (v: number) => request<RuleDocument>('GET', `/api/v1/rules/versions/${v}`),
  hits: () => request<{ items: RuleHit[] }>('GET', '/api/v1/rules/hits'),
  queues: () => request<{ items: Queue[] }>('GET', '/api/v1/queues'),
  versions: (cursor?: number | null, limit = 20) =>
    request<Page<RuleVersion>>('GET', `/api/v1/rules/versions?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`),
  audit: (cursor?: number | null, limit = 20) =>
    request<Page<AuditEntry>>('GET', `/api/v1/rules/audit?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`),
  simulate: (input: SimulateInput) => request<SimulateResult>('POST', '/api/v1/rules/simulate', input),
  /** makes an earlier version the one in force, unless the rules moved on from `expected` */
  restore: (v: number, expected: number) => request<RuleDocument>('POST', `/api/v1/rules/versions/${v}/restore?version=${expected}`, {}),

  /** saves the draft's parts as one new version, refused (409) unless the live rules are still at `expected` */
  async saveParts(parts: { rules?: Rule[]; lexicon?: Lexicon }, expected: number, csrf: string): Promise<RuleDocument> {
    const res = await rulesFetch('PATCH', `/api/v1/rules?version=${enc(String(expected))}`, parts, csrf);
    return (await res.json()) as RuleDocument;
  },

  /** the replay's events as they stream; a draft that does not validate throws (RulesApiError, with its problems) */
  async replay(draft: ReplayDraft, limit: number, csrf: string, signal?: AbortSignal): Promise<AsyncGenerator<ReplayEvent>> {
    const res = await rulesFetch('POST', '/api/v1/rules/replay', { ...draft, limit }, csrf, signal);
    return ndjsonLines<ReplayEvent>(res);
  },

  /** validates a draft without keeping anything: the replay validates first, and one message is enough to know it ran */
  async check(draft: ReplayDraft, csrf: string): Promise<void> {
    const res = await rulesFetch('POST', '/api/v1/rules/replay', { ...draft, limit: 1 }, csrf);
    await res.body?.cancel().catch(() => undefined);
  },
};
