/** Creates or changes a business calendar: name, time zone, weekly hours, holidays. */
import { useState } from 'preact/hooks';
import { Modal } from '../../modal.tsx';
import { changedFields } from '../team/changed-fields.ts';
import { formErrors, NO_ERRORS, type FormErrors } from '../team/form-errors.ts';
import { FormField } from '../team/form-field.tsx';
import type { Calendar, CalendarInput } from './calendar-types.ts';
import { calendarsApi } from './calendars-api.ts';
import { HolidaysEditor } from './holidays-editor.tsx';
import { HoursEditor } from './hours-editor.tsx';

const FIELDS = ['name', 'timeZone', 'windows', 'holidays'];

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function CalendarForm({ calendar, onSaved, onClose }: { calendar: Calendar | null; onSaved(c: Calendar): void; onClose(): void }) {
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [windows, setWindows] = useState(calendar?.windows ?? []);
  const [holidays, setHolidays] = useState(calendar?.holidays ?? []);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [zones] = useState(timeZones);
  const err = errors.fields;

  async function save(e: Event) {
    e.preventDefault();
    const input: CalendarInput = { name: name.trim(), timeZone: timeZone.trim(), windows, holidays };
    const body = calendar ? changedFields(calendar, input) : input;
    if (calendar && Object.keys(body).length === 0) return onClose();
    setBusy(true);
    try {
      onSaved(calendar ? await calendarsApi.patch(calendar.id, body) : await calendarsApi.create(body));
    } catch (x) {
      setErrors(formErrors(x, FIELDS, { timeZone: /time zone/iu, windows: /weekday|time of day|never opens/iu, holidays: /holiday|is not a date/iu }));
      setBusy(false);
    }
  }

  return (
    <Modal title={calendar ? `Edit calendar ${calendar.name}` : 'New calendar'} onClose={onClose} class="admin-dialog">
      <form class="admin-form" onSubmit={(e) => void save(e)} noValidate>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <div class="form-grid">
          <FormField label="Name" error={err.name}>{(c) => <input {...c} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />}</FormField>
          <FormField label="Time zone" error={err.timeZone} hint="IANA, e.g. Europe/Berlin, America/New_York.">
            {(c) => <input {...c} type="text" list="time-zones" value={timeZone} onInput={(e) => setTimeZone(e.currentTarget.value)} />}
          </FormField>
        </div>
        <datalist id="time-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
        <HoursEditor value={windows} error={err.windows} onChange={setWindows} />
        <HolidaysEditor value={holidays} error={err.holidays} onChange={setHolidays} />
        <div class="form-actions sticky-actions">
          <button type="submit" class="btn primary" disabled={busy}>{calendar ? 'Save calendar' : 'Create calendar'}</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
