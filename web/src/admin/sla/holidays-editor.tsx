/** Days the team is closed: one date, or a range to a last day, with a name. */
import { FieldGroup } from '../team/form-field.tsx';
import type { Holiday } from './calendar-types.ts';

export function HolidaysEditor({ value, error, onChange }: { value: Holiday[]; error?: string | undefined; onChange(v: Holiday[]): void }) {
  const set = (i: number, h: Holiday) => onChange(value.map((x, k) => (k === i ? h : x)));
  return (
    <FieldGroup legend={`Holidays (${value.length})`} error={error}>
      {value.length === 0 && <p class="muted small">No holidays.</p>}
      <ul class="plain-list holiday-list">
        {value.map((h, i) => (
          <li key={i} class="window-row">
            <label for={`holiday-date-${i}`} class="visually-hidden">Holiday {i + 1}: date</label>
            <input id={`holiday-date-${i}`} type="date" value={h.date} onInput={(e) => set(i, { ...h, date: e.currentTarget.value })} />
            <label for={`holiday-to-${i}`}>to<span class="visually-hidden"> (last day of holiday {i + 1}, optional)</span></label>
            <input id={`holiday-to-${i}`} type="date" value={h.to ?? ''} onInput={(e) => {
              const { to: _drop, ...rest } = h;
              set(i, e.currentTarget.value ? { ...rest, to: e.currentTarget.value } : rest);
            }} />
            <label for={`holiday-name-${i}`} class="visually-hidden">Holiday {i + 1}: name</label>
            <input id={`holiday-name-${i}`} type="text" placeholder="Name" value={h.name ?? ''} onInput={(e) => {
              const { name: _drop, ...rest } = h;
              set(i, e.currentTarget.value ? { ...rest, name: e.currentTarget.value } : rest);
            }} />
            <button type="button" class="btn small ghost" onClick={() => onChange(value.filter((_, k) => k !== i))}>Remove<span class="visually-hidden"> holiday {i + 1}</span></button>
          </li>
        ))}
      </ul>
      <div><button type="button" class="btn small" onClick={() => onChange([...value, { date: new Date().toISOString().slice(0, 10) }])}>Add a holiday</button></div>
    </FieldGroup>
  );
}
