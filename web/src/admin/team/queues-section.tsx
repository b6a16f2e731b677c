/** The queues and how each offers its cases; admins create and change them. */
import { useState } from 'preact/hooks';
import { calendarsApi } from '../sla/calendars-api.ts';
import { formatSeconds } from './format-time.ts';
import { QueueForm } from './queue-form.tsx';
import { teamApi } from './team-api.ts';
import { STRATEGIES, type QueueDetail } from './team-types.ts';
import { useLoad } from './use-load.ts';

const strategyName = (s: string) => STRATEGIES.find(([v]) => v === s)?.[1] ?? s;

export function QueuesSection({ readOnly, onChanged }: { readOnly: boolean; onChanged(): void }) {
  const queues = useLoad(() => teamApi.queues());
  const calendars = useLoad(() => calendarsApi.list());
  const [editing, setEditing] = useState<QueueDetail | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const list = queues.data?.items ?? [];
  const calendarName = (id: string | null) => (id ? calendars.data?.items.find((c) => c.id === id)?.name ?? id : 'Default');

  return (
    <section class="admin-section" aria-labelledby="queues-title">
      <div class="section-head">
        <h2 id="queues-title">Queues</h2>
        {!readOnly && <button type="button" class="btn primary" onClick={() => setEditing('new')}>New queue</button>}
      </div>
      <p class="notice" role="status">{notice}</p>
      {queues.error && <p class="form-error" role="alert">The queues could not be loaded: {queues.error}</p>}
      <table class="admin-table stack">
        <caption class="visually-hidden">Queues</caption>
        <thead>
          <tr>
            <th scope="col">Queue</th><th scope="col">Strategy</th><th scope="col">Offer timeout</th><th scope="col">Calendar</th>
            <th scope="col">Service level target</th><th scope="col">Overflow</th>{!readOnly && <th scope="col"><span class="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {list.map((q) => (
            <tr key={q.id}>
              <th scope="row" data-label="Queue">{q.name}</th>
              <td data-label="Strategy">{strategyName(q.strategy)}{q.broadcastOffers > 1 ? `, ${q.broadcastOffers} at once` : ''}</td>
              <td data-label="Offer timeout">{q.offerTimeoutSeconds === null ? 'Default' : formatSeconds(q.offerTimeoutSeconds)}</td>
              <td data-label="Calendar">{calendarName(q.calendarId)}</td>
              <td data-label="Service level target">{formatSeconds(q.serviceLevelSeconds)}</td>
              <td data-label="Overflow">{q.overflow.length ? `${q.overflow.length} step${q.overflow.length > 1 ? 's' : ''}` : 'None'}</td>
              {!readOnly && (
                <td data-label="Actions">
                  <button type="button" class="btn small" onClick={() => setEditing(q)}>Edit<span class="visually-hidden"> queue {q.name}</span></button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <QueueForm
          queue={editing === 'new' ? null : editing}
          queues={list}
          calendars={calendars.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={(q) => {
            setEditing(null);
            setNotice(`Queue ${q.name} saved.`);
            queues.reload();
            onChanged();
          }}
        />
      )}
    </section>
  );
}
