/** Times and durations as the admin pages say them. */

/** 95 → "1 min 35 s"; 7300 → "2 h 1 min" */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return h ? `${d} d ${h} h` : `${d} d`;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatStamp(iso: string | null | undefined): string {
  return iso ? stamp.format(new Date(iso)) : '—';
}

const dayTime = new Intl.DateTimeFormat(undefined, { weekday: 'long', hour: 'numeric', minute: '2-digit' });
const dayDateTime = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });

/** "Friday 16:30"; with the date when it is not within the week after `from` */
export function formatDayTime(when: Date, from: Date = when): string {
  const near = when.getTime() - from.getTime() < 6 * 86_400_000 && when.getTime() >= from.getTime();
  return (near ? dayTime : dayDateTime).format(when).replace(/,? at /u, ' ').replace(/, (?=\d)/u, ' ');
}

/** A <input type="datetime-local"> value for a Date, in the browser's time zone */
export function localInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
