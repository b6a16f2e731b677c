/** Holidays from an iCalendar file (a public-holiday feed exported as .ics), added to or replacing a calendar's. */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { Modal } from '../../modal.tsx';
import { FormField } from '../team/form-field.tsx';
import type { Calendar } from './calendar-types.ts';
import { calendarsApi } from './calendars-api.ts';

export function HolidayImport({ calendar, onImported, onClose }: { calendar: Calendar; onImported(c: Calendar, count: number): void; onClose(): void }) {
  const [ics, setIcs] = useState('');
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setIcs(await file.text());
  }

  async function run(e: Event) {
    e.preventDefault();
    if (!ics.trim()) return setError('Choose an .ics file or paste its text.');
    setBusy(true);
    setError(null);
    try {
      const r = await calendarsApi.importHolidays(calendar.id, ics, replace);
      onImported(r.calendar, r.imported);
    } catch (x) {
      setError(errorMessage(x));
      setBusy(false);
    }
  }

  return (
    <Modal title={`Import holidays into ${calendar.name}`} onClose={onClose} class="admin-dialog">
      <form class="admin-form" onSubmit={(e) => void run(e)}>
        {error && <p class="form-error" role="alert">{error}</p>}
        <FormField label="iCalendar file (.ics)">{(c) => <input {...c} type="file" accept=".ics,text/calendar" onChange={(e) => void pick(e)} />}</FormField>
        <FormField label="Or paste its text" hint="Events over the past year and the next three become holidays.">
          {(c) => <textarea {...c} rows={6} value={ics} onInput={(e) => setIcs(e.currentTarget.value)} />}
        </FormField>
        <label class="choice"><input type="checkbox" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} /> Replace the calendar's holidays (otherwise they are added)</label>
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={busy}>Import holidays</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
