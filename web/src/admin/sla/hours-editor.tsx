/** A calendar's weekly opening hours: windows of a day, from and to (a "to" not after "from" runs past midnight). */
import { FieldGroup } from '../team/form-field.tsx';
import { WEEKDAYS, type HoursWindow, type Weekday } from './calendar-types.ts';

const WORKWEEK: HoursWindow[] = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, from: '09:00', to: '17:00' }));

export function HoursEditor({ value, error, onChange }: { value: HoursWindow[]; error?: string | undefined; onChange(v: HoursWindow[]): void }) {
  const set = (i: number, w: HoursWindow) => onChange(value.map((x, k) => (k === i ? w : x)));
  return (
    <FieldGroup legend="Weekly hours" error={error} hint="Clocks run only inside these windows, in the calendar's time zone.">
      {value.length === 0 && <p class="muted small">No hours: the team is never open.</p>}
      <ul class="plain-list">
        {value.map((w, i) => (
          <li key={i} class="window-row">
            <label class="visually-hidden" for={`window-day-${i}`}>Hours {i + 1}: day</label>
            <select id={`window-day-${i}`} value={w.day} onChange={(e) => set(i, { ...w, day: e.currentTarget.value as Weekday })}>
              {WEEKDAYS.map(([v, name]) => <option key={v} value={v}>{name}</option>)}
            </select>
            <label for={`window-from-${i}`}>from<span class="visually-hidden"> (hours {i + 1})</span></label>
            <input id={`window-from-${i}`} type="time" value={w.from} onInput={(e) => set(i, { ...w, from: e.currentTarget.value })} />
            <label for={`window-to-${i}`}>to<span class="visually-hidden"> (hours {i + 1})</span></label>
            <input id={`window-to-${i}`} type="time" value={w.to} onInput={(e) => set(i, { ...w, to: e.currentTarget.value })} />
            <button type="button" class="btn small ghost" onClick={() => onChange(value.filter((_, k) => k !== i))}>Remove<span class="visually-hidden"> hours {i + 1}</span></button>
          </li>
        ))}
      </ul>
      <div class="form-actions">
        <button type="button" class="btn small" onClick={() => onChange([...value, { day: 'mon', from: '09:00', to: '17:00' }])}>Add hours</button>
        <button type="button" class="btn small" onClick={() => onChange(WORKWEEK)}>Set Monday to Friday, 09:00–17:00</button>
      </div>
    </FieldGroup>
  );
}
