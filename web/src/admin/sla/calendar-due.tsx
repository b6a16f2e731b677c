/** The business-time arithmetic SLAs use, asked directly: from this moment, this much business time ends when? */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { FormField } from '../team/form-field.tsx';
import { formatDayTime, localInputValue } from '../team/format-time.ts';
import type { Calendar } from './calendar-types.ts';
import { calendarsApi } from './calendars-api.ts';
import { durationText } from './describe-sla.ts';

export function CalendarDue({ calendars }: { calendars: readonly Calendar[] }) {
  const [calendarId, setCalendarId] = useState('');
  const [from, setFrom] = useState(() => localInputValue(new Date()));
  const [duration, setDuration] = useState('PT4H');
  const [answer, setAnswer] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = calendars.find((c) => c.id === calendarId) ?? calendars[0];

  async function run(e: Event) {
    e.preventDefault();
    setError(null);
    const start = new Date(from);
    if (!chosen) return setError('There is no calendar yet.');
    if (Number.isNaN(start.getTime())) return setError('Give the start as a date and a time.');
    try {
      const r = await calendarsApi.due(chosen.id, start.toISOString(), duration.trim());
      const closed = r.openAtStart ? '' : ` The team is closed at the start${r.opensAt ? ` and opens ${formatDayTime(new Date(r.opensAt), start)}` : ''}.`;
      setAnswer(`${durationText(duration.trim())} of ${chosen.name} business time from ${formatDayTime(start)} ends ${formatDayTime(new Date(r.dueAt), start)}.${closed}`);
    } catch (x) {
      setAnswer(null);
      setError(errorMessage(x));
    }
  }

  return (
    <div class="due-preview">
      <h3>When is it due?</h3>
      <form class="admin-form" onSubmit={(e) => void run(e)}>
        <div class="form-grid">
          <FormField label="Calendar to count in">
            {(c) => <select {...c} value={chosen?.id ?? ''} onChange={(e) => setCalendarId(e.currentTarget.value)}>{calendars.map((cal) => <option key={cal.id} value={cal.id}>{cal.name}</option>)}</select>}
          </FormField>
          <FormField label="From">{(c) => <input {...c} type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />}</FormField>
          <FormField label="Business time" hint="ISO 8601, e.g. PT4H, PT30M, P1D.">{(c) => <input {...c} type="text" value={duration} onInput={(e) => setDuration(e.currentTarget.value)} />}</FormField>
        </div>
        <div><button type="submit" class="btn">Work out when it is due</button></div>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      <p class="preview-sentence" aria-live="polite">{answer}</p>
    </div>
  );
}
