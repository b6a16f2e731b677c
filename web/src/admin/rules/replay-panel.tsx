/**
 * "Preview impact": replays the newest stored customer messages through the live rules and the draft and
 * shows what would land elsewhere, with examples. Shared by the rules and the lexicon pages.
 */
import { useState } from 'preact/hooks';
import { Field } from '../../field.tsx';
import { channelLabel, when } from '../../format.ts';
import type { ReplayDraft, ReplayMove, ReplayResult } from './rules-types.ts';
import { useReplay } from './use-replay.ts';

interface Props {
  draft: ReplayDraft;
  /** identifies the draft's content: a result for another draft is marked as out of date */
  draftKey: string;
  /** the version in force: a result against another is out of date too */
  liveVersion: number;
  csrf: string;
}

const place = (p: { queue: string; priority: number }): string => `${p.queue} (P${p.priority})`;

/** net arrivals per queue: the headline an admin looks for ("4 messages would move to Billing") */
function arrivals(moves: readonly ReplayMove[]): [string, number][] {
  const net = new Map<string, number>();
  for (const m of moves) {
    if (m.from.queue === m.to.queue) continue;
    net.set(m.to.queue, (net.get(m.to.queue) ?? 0) + m.count);
  }
  return [...net].sort((a, b) => b[1] - a[1]);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function ResultSummary({ result }: { result: ReplayResult }) {
  return (
    <p class="replay-summary">
        Of {plural(result.total, 'message')} replayed, {result.changed === 0 ? 'none would change' : `${plural(result.changed, 'message')} would change`}:
      {' '}{result.queueChanged} in queue, {result.priorityChanged} in priority. <span class="muted">({result.elapsedMs} ms)</span>
    </p>
  );
}

function ResultDetails({ result, stale }: { result: ReplayResult; stale: boolean }) {
  const into = arrivals(result.moves);
  return (
    <div class="replay-result">
      {stale && <p class="replay-stale">This result is for an earlier draft or version in force: preview again to see the draft as it is now.</p>}
      {into.length > 0 && (
        <ul class="replay-arrivals" aria-label="Arrivals by queue">
          {into.map(([queue, n]) => <li key={queue}>{plural(n, 'message')} would move to {queue}</li>)}
        </ul>
      )}
      {result.moves.length > 0 && (
        <ul class="replay-moves" aria-label="Moves">
          {result.moves.map((m) => (
            <li key={`${place(m.from)}→${place(m.to)}`}>
              <div class="move-head">
                <strong>{m.count}</strong> {place(m.from)} <span aria-hidden="true">→</span><span class="visually-hidden">to</span> {place(m.to)}
              </div>
              <details>
                <summary>Examples ({m.examples.length})</summary>
                <ul class="move-examples">
                  {m.examples.map((x) => (
                    <li key={x.interactionId}>
                      <a href={`#/case/${x.caseNumber}`}>{x.caseNumber}</a> · {channelLabel(x.channel)} · <time dateTime={x.at}>{when(x.at)}</time>
                      {x.subject && !x.text.startsWith(x.subject) && <div class="example-subject">{x.subject}</div>}
                      <div class="example-text">{x.text}</div>
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ReplayPanel({ draft, draftKey, liveVersion, csrf }: Props) {
  const [limit, setLimit] = useState('1000');
  const replay = useReplay(csrf);
  const n = Number(limit);
  const limitOk = Number.isInteger(n) && n >= 1 && n <= 10_000;
  const s = replay.state;

  return (
    <section class="replay panel" aria-labelledby="replay-title">
      <h2 id="replay-title" class="panel-title">Impact of the draft</h2>
      <form
        class="replay-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (limitOk) void replay.run(draft, n, draftKey);
        }}
      >
        <Field label="Messages to replay" class="inline">
          {(id) => (
            <input id={id} type="number" min={1} max={10000} step={1} value={limit} aria-invalid={!limitOk}
              onInput={(e) => setLimit(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" class="btn primary" disabled={!limitOk || s.status === 'running'}>Preview impact</button>
        {s.status === 'running' && <button type="button" class="btn" onClick={replay.cancel}>Cancel preview</button>}
      </form>
      {!limitOk && <p class="form-error small">Replay 1 to 10,000 messages.</p>}
      <p class="muted small">The newest stored customer messages go through the live rules and through the draft; nothing is changed.</p>
      {s.status === 'running' && (
        <div class="replay-progress">
          <progress aria-label="Replay progress" max={s.total} value={s.done} />
          <span>{s.done} of {s.total}</span>
        </div>
      )}
      <div role="status" class="replay-status">
        {s.status === 'done' && <ResultSummary result={s.result} />}
      </div>
      {s.status === 'done' && <ResultDetails result={s.result} stale={s.draftKey !== draftKey || (s.result.liveVersion !== undefined && s.result.liveVersion !== liveVersion)} />}
      {s.status === 'failed' && (
        <div class="form-error" role="alert">
          <p>The preview failed: {s.message}</p>
          {s.problems.length > 0 && (
            <ul>{s.problems.map((p, i) => <li key={i}><code>{p.path}</code>: {p.message}</li>)}</ul>
          )}
        </div>
      )}
    </section>
  );
}
