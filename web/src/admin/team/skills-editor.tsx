/** An agent's skills, each with a level from 1 (learning) to 5 (expert). */
import { FieldGroup } from './form-field.tsx';

export interface SkillRow {
  name: string;
  level: number;
}

const LEVELS = [[1, '1 (learning)'], [2, '2'], [3, '3'], [4, '4'], [5, '5 (expert)']] as const;

export function SkillsEditor({ rows, error, onChange }: { rows: SkillRow[]; error?: string | undefined; onChange(rows: SkillRow[]): void }) {
  const set = (i: number, row: SkillRow) => onChange(rows.map((r, k) => (k === i ? row : r)));
  return (
    <FieldGroup legend="Skills" error={error} hint="Best-skilled queues prefer the highest level; cases may require skills.">
      {rows.length === 0 && <p class="muted small">No skills.</p>}
      <ul class="skill-rows">
        {rows.map((r, i) => (
          <li key={i} class="skill-row">
            <label class="visually-hidden" for={`skill-${i}`}>Skill {i + 1}</label>
            <input id={`skill-${i}`} type="text" value={r.name} placeholder="e.g. billing" onInput={(e) => set(i, { ...r, name: e.currentTarget.value })} />
            <label class="visually-hidden" for={`skill-level-${i}`}>Level of skill {i + 1}</label>
            <select id={`skill-level-${i}`} value={r.level} onChange={(e) => set(i, { ...r, level: Number(e.currentTarget.value) })}>
              {LEVELS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
            </select>
            <button type="button" class="btn small ghost" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
              Remove<span class="visually-hidden"> skill {i + 1}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="btn small" onClick={() => onChange([...rows, { name: '', level: 3 }])}>Add a skill</button>
    </FieldGroup>
  );
}
