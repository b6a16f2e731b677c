/** Why the case went where it went: the routing decision's trace and how its agent was picked, on demand. */

interface Entry {
  kind?: string;
  name?: string;
  ruleId?: string;
  matched?: boolean;
  reasons?: string[];
  applied?: string[];
  explanation?: string[];
  count?: number;
  reason?: string;
  queue?: string;
  priority?: number;
}

/** One line of the trace, in words: a rule tried (and why), the scores, rules skipped, or a step of the pick. */
function describe(e: unknown): string {
  if (typeof e === 'string') return e;
  if (!e || typeof e !== 'object') return String(e);
  const t = e as Entry;
  switch (t.kind) {
    case 'scores':
      return `Scores: ${(t.explanation ?? []).join('; ')}`;
    case 'rule':
      return `Rule ${t.name ?? t.ruleId}: ${t.matched ? 'matched' : 'no match'}${t.reasons?.length ? ` — ${t.reasons.join('; ')}` : ''}${t.applied?.length ? ` → ${t.applied.join(', ')}` : ''}`;
    case 'skipped':
      return `${t.count} rules skipped: ${t.reason}`;
    case 'queue':
      return `Queue ${t.queue}: ${t.reason}`;
    case 'priority':
      return `Priority ${t.priority}: ${(t.explanation ?? []).join('; ')}`;
    default:
      return JSON.stringify(e);
  }
}

export function RoutingTrace({ routing }: { routing: unknown }) {
  if (!routing || typeof routing !== 'object') return null;
  const r = routing as { trace?: unknown[]; assignment?: { trace?: unknown[]; at?: string } };
  const trace = Array.isArray(r.trace) ? r.trace : [];
  const picked = Array.isArray(r.assignment?.trace) ? r.assignment.trace : [];
  if (trace.length === 0 && picked.length === 0) return null;
  return (
    <details class="routing-trace">
      <summary>Why it was routed here</summary>
      {trace.length > 0 && (
        <ol aria-label="Routing decision">
          {trace.map((e, n) => <li key={n}>{describe(e)}</li>)}
        </ol>
      )}
      {picked.length > 0 && (
        <>
          <p class="muted">How the agent was picked{r.assignment?.at ? ` (${new Date(r.assignment.at).toLocaleString()})` : ''}:</p>
          <ol aria-label="Agent pick">
            {picked.map((e, n) => <li key={n}>{describe(e)}</li>)}
          </ol>
        </>
      )}
    </details>
  );
}
