/** The few admin calls the benchmarks make to set a server up, over its public API. */
import { DEFAULT_RULES } from '../../routing/default-rules.ts';
import { keywordRules } from './keyword-rules.ts';
import { BENCH_ADMIN_TOKEN } from './server-process.ts';

export async function adminCall<T = unknown>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Online agents in every queue, so the assignment step offers cases as it would in a staffed team. */
export async function addOnlineAgents(base: string, count: number, capacity: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await adminCall(base, 'POST', '/api/v1/agents', { name: `Agent ${i + 1}`, email: `agent${i + 1}@bench.test`, presence: 'online', capacity });
  }
}

/** One more online agent like the others, returning the API token it signs in with (shown only now). */
export async function addConsoleAgent(base: string, capacity: number): Promise<string> {
  const created = await adminCall<{ token: string }>(base, 'POST', '/api/v1/agents', { name: 'Console Agent', email: 'console@bench.test', presence: 'online', capacity });
  return created.token;
}

/** Replaces the rule set by `count` keyword rules followed by the default ones. */
export async function installKeywordRules(base: string, count: number): Promise<void> {
  await adminCall(base, 'PATCH', '/api/v1/rules', { rules: [...keywordRules(count), ...DEFAULT_RULES] });
}
