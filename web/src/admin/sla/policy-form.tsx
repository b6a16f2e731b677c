/** Creates or changes an SLA policy; the server checks it against the whole list and names the field at fault. */
import { useState } from 'preact/hooks';
import { Modal } from '../../modal.tsx';
import { CASE_STATES } from '../../types.ts';
import { changedFields } from '../team/changed-fields.ts';
import { formErrors, NO_ERRORS, type FormErrors } from '../team/form-errors.ts';
import { FieldGroup, FormField } from '../team/form-field.tsx';
import type { Calendar } from './calendar-types.ts';
import { EscalationsEditor } from './escalations-editor.tsx';
import { matchDraft, MatchEditor, matchValue } from './match-editor.tsx';
import { slaApi } from './sla-api.ts';
import { TARGETS, type SlaPolicy, type SlaPolicyInput, type TargetName } from './sla-types.ts';

const FIELDS = ['name', 'enabled', 'match', 'calendar', 'targets', 'warnBefore', 'pauseStates', 'escalations', 'position'];
/** the select's stand-in for null (calendar time) */
const ROUND_THE_CLOCK = '-';

interface Props {
  policy: SlaPolicy | null;
  /** its place in the order, 0 first */
  position: number;
  count: number;
  queues: readonly string[];
  calendars: readonly Calendar[];
  onSaved(name: string): void;
  onClose(): void;
}

export function PolicyForm({ policy, position, count, queues, calendars, onSaved, onClose }: Props) {
  const [name, setName] = useState(policy?.name ?? '');
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const [match, setMatch] = useState(() => matchDraft(policy?.match ?? {}));
  const [calendar, setCalendar] = useState(policy ? (policy.calendar ?? ROUND_THE_CLOCK) : 'case');
  const [targets, setTargets] = useState<Record<TargetName, string>>({
    firstResponse: policy?.targets.firstResponse ?? '', nextResponse: policy?.targets.nextResponse ?? '', resolution: policy?.targets.resolution ?? '',
  });
  const [warnBefore, setWarnBefore] = useState(policy ? (policy.warnBefore ?? '') : '25%');
  const [pauseStates, setPauseStates] = useState<string[]>(policy?.pauseStates ?? ['awaiting_customer']);
  const [escalations, setEscalations] = useState(policy?.escalations ?? []);
  const [place, setPlace] = useState(String(position + 1));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const err = errors.fields;

  async function save(e: Event) {
    e.preventDefault();
    const input: SlaPolicyInput = {
      name: name.trim(),
      enabled,
      match: matchValue(match),
      calendar: calendar === ROUND_THE_CLOCK ? null : calendar,
      targets: Object.fromEntries(TARGETS.flatMap(([k]) => (targets[k].trim() ? [[k, targets[k].trim()]] : []))),
      warnBefore: warnBefore.trim() || null,
      pauseStates: pauseStates as NonNullable<SlaPolicyInput['pauseStates']>,
      escalations,
      position: Number(place) - 1,
    };
    const body = policy ? changedFields({ ...policy, enabled: policy.enabled ?? true, position }, input) : input;
    if (policy && Object.keys(body).length === 0) return onClose();
    setBusy(true);
    try {
      if (policy) await slaApi.patch(policy.id, body);
      else await slaApi.create(body);
      onSaved(input.name ?? '');
    } catch (x) {
      setErrors(formErrors(x, FIELDS));
      setBusy(false);
    }
  }

  return (
    <Modal title={policy ? `Edit SLA policy ${policy.name}` : 'New SLA policy'} onClose={onClose} class="admin-dialog">
      <form class="admin-form" onSubmit={(e) => void save(e)} noValidate>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <div class="form-grid">
          <FormField label="Name" error={err.name}>{(c) => <input {...c} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />}</FormField>
          <FormField label="Place in the order" error={err.position} hint={`1 is tried first; ${policy ? count : count + 1} is last.`}>
            {(c) => <input {...c} type="number" min={1} max={policy ? count : count + 1} value={place} onInput={(e) => setPlace(e.currentTarget.value)} />}
          </FormField>
          <FormField label="Calendar" error={err.calendar} hint="The hours its clocks run in. The case’s: its account’s, else its queue’s, else the default.">
            {(c) => (
              <select {...c} value={calendar} onChange={(e) => setCalendar(e.currentTarget.value)}>
                <option value="case">The case’s calendar</option>
                <option value={ROUND_THE_CLOCK}>Around the clock (no calendar)</option>
                {calendars.map((cal) => <option key={cal.id} value={cal.id}>{cal.name} ({cal.timeZone})</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Warn before" error={err.warnBefore} hint="A duration before due (PT10M) or a share of the target (25%); empty: no warning.">
            {(c) => <input {...c} type="text" value={warnBefore} onInput={(e) => setWarnBefore(e.currentTarget.value)} />}
          </FormField>
        </div>
        <label class="choice"><input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled (a disabled policy is never chosen)</label>
        <FieldGroup legend="Promises" error={err.targets} hint="ISO 8601 durations of business time, e.g. PT15M, PT4H, P1D; at least one.">
          <div class="form-grid">
            {TARGETS.map(([k, label]) => (
              <FormField key={k} label={label}>
                {(c) => <input {...c} type="text" value={targets[k]} onInput={(e) => setTargets({ ...targets, [k]: e.currentTarget.value })} />}
              </FormField>
            ))}
          </div>
        </FieldGroup>
        <MatchEditor value={match} queues={queues} error={err.match} onChange={setMatch} />
        <FieldGroup legend="Clocks stand still while the case is" error={err.pauseStates} class="checks">
          {CASE_STATES.map((s) => (
            <label key={s} class="choice">
              <input type="checkbox" checked={pauseStates.includes(s)} onChange={(e) => setPauseStates(e.currentTarget.checked ? [...pauseStates, s] : pauseStates.filter((x) => x !== s))} /> {s.replace('_', ' ')}
            </label>
          ))}
        </FieldGroup>
        <EscalationsEditor value={escalations} queues={queues} error={err.escalations} onChange={setEscalations} />
        <div class="form-actions sticky-actions">
          <button type="submit" class="btn primary" disabled={busy}>{policy ? 'Save policy' : 'Create policy'}</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
