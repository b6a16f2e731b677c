/** Creates or changes a queue: every setting the API takes, the server's objections at their fields. */
import { useState } from 'preact/hooks';
import { Modal } from '../../modal.tsx';
import type { Calendar } from '../sla/calendar-types.ts';
import { changedFields, numberOrNull } from './changed-fields.ts';
import { formErrors, NO_ERRORS, type FormErrors } from './form-errors.ts';
import { FormField } from './form-field.tsx';
import { OverflowEditor } from './overflow-editor.tsx';
import { teamApi } from './team-api.ts';
import { STRATEGIES, type OverflowStep, type QueueDetail, type QueueInput } from './team-types.ts';

const FIELDS = ['name', 'strategy', 'slackChannel', 'ackTemplate', 'offerTimeoutSeconds', 'calendarId', 'wrapUpSeconds', 'maxOfferRounds', 'broadcastOffers', 'serviceLevelSeconds', 'overflow', 'agingSeconds'];

interface Draft {
  name: string;
  strategy: string;
  slackChannel: string;
  ackTemplate: string;
  offerTimeoutSeconds: string;
  calendarId: string;
  wrapUpSeconds: string;
  maxOfferRounds: string;
  broadcastOffers: string;
  serviceLevelSeconds: string;
  agingSeconds: string;
  overflow: OverflowStep[];
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function draftOf(q: QueueDetail | null): Draft {
  return {
    name: q?.name ?? '',
    strategy: q?.strategy ?? 'round_robin',
    slackChannel: q?.slackChannel ?? '',
    ackTemplate: q?.ackTemplate ?? '',
    offerTimeoutSeconds: text(q?.offerTimeoutSeconds),
    calendarId: q?.calendarId ?? '',
    wrapUpSeconds: text(q?.wrapUpSeconds ?? 0),
    maxOfferRounds: text(q?.maxOfferRounds ?? 3),
    broadcastOffers: text(q?.broadcastOffers ?? 1),
    serviceLevelSeconds: text(q?.serviceLevelSeconds ?? 300),
    agingSeconds: text(q?.agingSeconds),
    overflow: q?.overflow ?? [],
  };
}

function inputOf(d: Draft): QueueInput {
  return {
    name: d.name.trim(),
    strategy: d.strategy as NonNullable<QueueInput['strategy']>,
    slackChannel: d.slackChannel.trim() || null,
    ackTemplate: d.ackTemplate.trim() ? d.ackTemplate : null,
    offerTimeoutSeconds: numberOrNull(d.offerTimeoutSeconds),
    calendarId: d.calendarId || null,
    // null where a number is required: the server names the field
    wrapUpSeconds: numberOrNull(d.wrapUpSeconds) as number,
    maxOfferRounds: numberOrNull(d.maxOfferRounds) as number,
    broadcastOffers: numberOrNull(d.broadcastOffers) as number,
    serviceLevelSeconds: numberOrNull(d.serviceLevelSeconds) as number,
    agingSeconds: numberOrNull(d.agingSeconds),
    overflow: d.overflow,
  };
}

interface Props {
  queue: QueueDetail | null;
  queues: readonly QueueDetail[];
  calendars: readonly Calendar[];
  onSaved(q: QueueDetail): void;
  onClose(): void;
}

export function QueueForm({ queue, queues, calendars, onSaved, onClose }: Props) {
  const [draft, setDraft] = useState(() => draftOf(queue));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const num = (k: keyof Draft) => (e: Event) => set(k, (e.currentTarget as HTMLInputElement).value);
  const others = queues.filter((q) => q.id !== queue?.id).map((q) => q.name);
  const err = errors.fields;

  async function save(e: Event) {
    e.preventDefault();
    const input = inputOf(draft);
    const body = queue ? changedFields(queue, input) : input;
    if (queue && Object.keys(body).length === 0) return onClose();
    setBusy(true);
    try {
      const saved = queue ? await teamApi.patchQueue(queue.id, body) : await teamApi.createQueue(body);
      onSaved(saved);
    } catch (x) {
      setErrors(formErrors(x, FIELDS));
      setBusy(false);
    }
  }

  return (
    <Modal title={queue ? `Edit queue ${queue.name}` : 'New queue'} onClose={onClose} class="admin-dialog">
      <form class="admin-form" onSubmit={(e) => void save(e)} noValidate>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <div class="form-grid">
          <FormField label="Name" error={err.name}>
            {(c) => <input {...c} type="text" required value={draft.name} onInput={(e) => set('name', e.currentTarget.value)} />}
          </FormField>
          <FormField label="Strategy" error={err.strategy} hint="How an agent is picked for a waiting case.">
            {(c) => (
              <select {...c} value={draft.strategy} onChange={(e) => set('strategy', e.currentTarget.value)}>
                {STRATEGIES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Calendar" error={err.calendarId} hint="When its team works (SLA clocks run in these hours).">
            {(c) => (
              <select {...c} value={draft.calendarId} onChange={(e) => set('calendarId', e.currentTarget.value)}>
                <option value="">The default calendar</option>
                {calendars.map((cal) => <option key={cal.id} value={cal.id}>{cal.name} ({cal.timeZone})</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Slack channel" error={err.slackChannel} hint="The channel id its case cards go to, e.g. C0123456; empty: none.">
            {(c) => <input {...c} type="text" value={draft.slackChannel} onInput={(e) => set('slackChannel', e.currentTarget.value)} />}
          </FormField>
          <FormField label="Offer timeout (seconds)" error={err.offerTimeoutSeconds} hint="How long an agent has to accept; empty: the gateway's default.">
            {(c) => <input {...c} type="number" min={5} value={draft.offerTimeoutSeconds} onInput={num('offerTimeoutSeconds')} />}
          </FormField>
          <FormField label="Wrap-up (seconds)" error={err.wrapUpSeconds} hint="No new offer for this long after an agent resolves a case.">
            {(c) => <input {...c} type="number" min={0} value={draft.wrapUpSeconds} onInput={num('wrapUpSeconds')} />}
          </FormField>
          <FormField label="Max offer rounds" error={err.maxOfferRounds} hint="Rounds nobody took before the case is tagged no-taker.">
            {(c) => <input {...c} type="number" min={1} value={draft.maxOfferRounds} onInput={num('maxOfferRounds')} />}
          </FormField>
          <FormField label="Broadcast offers" error={err.broadcastOffers} hint="Chat cases go to this many agents at once; the first to accept takes it.">
            {(c) => <input {...c} type="number" min={1} value={draft.broadcastOffers} onInput={num('broadcastOffers')} />}
          </FormField>
          <FormField label="Service level target (seconds)" error={err.serviceLevelSeconds} hint="A case first answered within this is answered in time.">
            {(c) => <input {...c} type="number" min={1} value={draft.serviceLevelSeconds} onInput={num('serviceLevelSeconds')} />}
          </FormField>
          <FormField label="Aging (seconds)" error={err.agingSeconds} hint="A waiting case's priority rises by one each this many seconds; empty: never.">
            {(c) => <input {...c} type="number" min={10} value={draft.agingSeconds} onInput={num('agingSeconds')} />}
          </FormField>
        </div>
        <FormField label="Acknowledgement template" error={err.ackTemplate} hint="Sent when a case opens in this queue; empty: none.">
          {(c) => <textarea {...c} rows={3} value={draft.ackTemplate} onInput={(e) => set('ackTemplate', e.currentTarget.value)} />}
        </FormField>
        <OverflowEditor steps={draft.overflow} queues={others} error={err.overflow} onChange={(s) => set('overflow', s)} />
        <div class="form-actions sticky-actions">
          <button type="submit" class="btn primary" disabled={busy}>{queue ? 'Save queue' : 'Create queue'}</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
