/** Who is at work and how loaded, and how each queue is doing, as it changes. */
import { formatSeconds } from './format-time.ts';
import { presenceDetail } from './presence-label.ts';
import type { AgentStats, QueueStats } from './team-types.ts';
import { useLiveStats } from './use-live-stats.ts';

const AT_WORK = ['online', 'busy', 'break', 'away'];

function share(level: { inTime: number; late: number; share: number | null }): string {
  return level.share === null ? 'no cases yet' : `${Math.round(level.share * 100)} % (${level.inTime} of ${level.inTime + level.late})`;
}

function LoadCell({ a }: { a: AgentStats }) {
  const used = a.openCases + a.offers;
  const pct = a.capacity > 0 ? Math.min(100, Math.round((used / a.capacity) * 100)) : 100;
  return (
    <td data-label="Load">
      <span class="load">
        <span>{a.openCases} of {a.capacity} cases</span>
        <span class={`load-bar${used >= a.capacity ? ' full' : ''}`} aria-hidden="true"><span style={{ width: `${pct}%` }} /></span>
      </span>
    </td>
  );
}

function AgentBoard({ agents }: { agents: AgentStats[] }) {
  const atWork = agents.filter((a) => AT_WORK.includes(a.presence));
  const offline = agents.length - atWork.length;
  return (
    <div class="board-part">
      <table class="admin-table stack">
        <caption>Agents at work</caption>
        <thead>
          <tr><th scope="col">Agent</th><th scope="col">Presence</th><th scope="col">Load</th><th scope="col">Open offers</th><th scope="col">Resolved today</th></tr>
        </thead>
        <tbody>
          {atWork.length === 0 && <tr><td colSpan={5} class="muted">Nobody is at work now.</td></tr>}
          {atWork.map((a) => (
            <tr key={a.id}>
              <th scope="row" data-label="Agent">{a.name}</th>
              <td data-label="Presence"><span class={`badge presence-${a.presence}`}>{presenceDetail(a)}</span></td>
              <LoadCell a={a} />
              <td data-label="Open offers">{a.offers}</td>
              <td data-label="Resolved today">{a.resolvedToday}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{offline === 1 ? '1 agent offline' : `${offline} agents offline`}</p>
    </div>
  );
}

function QueueBoard({ queues }: { queues: QueueStats[] }) {
  return (
    <table class="admin-table stack">
      <caption>Queues now</caption>
      <thead>
        <tr>
          <th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Open offers</th><th scope="col">Oldest wait</th>
          <th scope="col">Service level today</th><th scope="col">Agents online</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((q) => (
          <tr key={q.queue} class={q.waiting > 0 ? 'has-waiting' : undefined}>
            <th scope="row" data-label="Queue">{q.queue}</th>
            <td data-label="Waiting">{q.waiting} waiting</td>
            <td data-label="Open offers">{q.offered}</td>
            <td data-label="Oldest wait">{q.waiting ? formatSeconds(q.longestWaitSeconds) : '—'}</td>
            <td data-label="Service level today">{share(q.serviceLevel.today)} within {formatSeconds(q.serviceLevel.targetSeconds)}</td>
            <td data-label="Agents online">{q.agents.online}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusBoard() {
  const stats = useLiveStats();
  return (
    <section class="admin-section board" aria-labelledby="board-title">
      <div class="section-head">
        <h2 id="board-title">Status board</h2>
        <span class={`board-state${stats.live ? ' board-live' : ''}`}>
          {stats.live ? 'Live' : 'Refreshed every 5 s'}
          {stats.at && <> · as of {new Date(stats.at).toLocaleTimeString()}</>}
        </span>
      </div>
      {stats.error && <p class="form-error" role="alert">The statistics could not be loaded: {stats.error}</p>}
      {stats.agents === null && !stats.error ? <p class="muted">Loading…</p> : (
        <>
          {stats.agents && <AgentBoard agents={stats.agents} />}
          <QueueBoard queues={stats.queues} />
        </>
      )}
    </section>
  );
}
