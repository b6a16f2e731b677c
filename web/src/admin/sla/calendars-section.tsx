/** Business calendars: when each team works, its holidays, and the due-time arithmetic on them. */
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../team/confirm-dialog.tsx';
import type { Loaded } from '../team/use-load.ts';
import { CalendarDue } from './calendar-due.tsx';
import { CalendarForm } from './calendar-form.tsx';
import { WEEKDAYS, type Calendar } from './calendar-types.ts';
import { calendarsApi } from './calendars-api.ts';
import { HolidayImport } from './holiday-import.tsx';

type Dialog = { kind: 'new' } | { kind: 'edit' | 'import' | 'delete'; calendar: Calendar };

const dayName = (d: string) => WEEKDAYS.find(([v]) => v === d)?.[1].slice(0, 3) ?? d;

/** "Mon–Fri 09:00–17:00, Sat 10:00–14:00": days in a row with the same hours together */
function hoursText(c: Calendar): string {
  if (!c.windows.length) return 'Never open';
  const order = WEEKDAYS.map(([d]) => d as string);
  const sorted = [...c.windows].sort((a, b) => order.indexOf(a.day) - order.indexOf(b.day) || a.from.localeCompare(b.from));
  const runs: { first: string; last: string; hours: string }[] = [];
  for (const w of sorted) {
    const hours = `${w.from}–${w.to}`;
    const run = runs.findLast((r) => r.hours === hours);
    if (run && order.indexOf(w.day) === order.indexOf(run.last) + 1) run.last = w.day;
    else runs.push({ first: w.day, last: w.day, hours });
  }
  return runs.map((r) => `${dayName(r.first)}${r.last !== r.first ? `–${dayName(r.last)}` : ''} ${r.hours}`).join(', ');
}

function upcoming(c: Calendar): string {
  const today = new Date().toISOString().slice(0, 10);
  const next = c.holidays.filter((h) => (h.to ?? h.date) >= today).sort((a, b) => a.date.localeCompare(b.date))[0];
  return next ? `next: ${next.name ?? 'holiday'} ${next.date}${next.to ? ` to ${next.to}` : ''}` : 'none ahead';
}

export function CalendarsSection({ calendars, onChanged }: { calendars: Loaded<{ items: Calendar[] }>; onChanged(): void }) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState('');
  const list = calendars.data?.items ?? [];
  const close = () => setDialog(null);
  const saved = (text: string) => { setNotice(text); close(); onChanged(); };

  return (
    <section class="admin-section" aria-labelledby="calendars-title">
      <div class="section-head">
        <h2 id="calendars-title">Business calendars</h2>
        <button type="button" class="btn primary" onClick={() => setDialog({ kind: 'new' })}>New calendar</button>
      </div>
      <p class="notice" role="status">{notice}</p>
      {calendars.error && <p class="form-error" role="alert">The calendars could not be loaded: {calendars.error}</p>}
      <table class="admin-table stack">
        <caption class="visually-hidden">Business calendars</caption>
        <thead><tr><th scope="col">Calendar</th><th scope="col">Time zone</th><th scope="col">Weekly hours</th><th scope="col">Holidays</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <th scope="row" data-label="Calendar">{c.name}</th>
              <td data-label="Time zone">{c.timeZone}</td>
              <td data-label="Weekly hours">{hoursText(c)}</td>
              <td data-label="Holidays">{c.holidays.length} ({upcoming(c)})</td>
              <td data-label="Actions">
                <div class="row-actions">
                  <button type="button" class="btn small" onClick={() => setDialog({ kind: 'edit', calendar: c })}>Edit<span class="visually-hidden"> calendar {c.name}</span></button>
                  <button type="button" class="btn small" onClick={() => setDialog({ kind: 'import', calendar: c })}>Import holidays<span class="visually-hidden"> into {c.name}</span></button>
                  <button type="button" class="btn small danger-outline" onClick={() => setDialog({ kind: 'delete', calendar: c })}>Delete<span class="visually-hidden"> calendar {c.name}</span></button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CalendarDue calendars={list} />
      {(dialog?.kind === 'new' || dialog?.kind === 'edit') && (
        <CalendarForm calendar={dialog.kind === 'edit' ? dialog.calendar : null} onClose={close} onSaved={(c) => saved(`Calendar ${c.name} saved.`)} />
      )}
      {dialog?.kind === 'import' && (
        <HolidayImport calendar={dialog.calendar} onClose={close} onImported={(c, n) => saved(`${n} holiday${n === 1 ? '' : 's'} imported into ${c.name}.`)} />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog title={`Delete the calendar ${dialog.calendar.name}?`} confirm={`Delete ${dialog.calendar.name}`} onClose={close}
          onConfirm={async () => { await calendarsApi.remove(dialog.calendar.id); setNotice(`Calendar ${dialog.calendar.name} deleted.`); onChanged(); }}>
          <p>Only a calendar no queue or account uses can be deleted.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
