/** Try the live rules on a sample message: the decision and its full trace; nothing is stored. */
import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { channelLabel, priorityLabel, stateLabel } from '../../format.ts';
import { SelectControl, TextControl } from './form-controls.tsx';
import { rulesApi } from './rules-api.ts';
import { RULE_CASE_STATES, RULE_CHANNELS, type ConditionCaseState, type Priority, type SimulateInput, type SimulateResult } from './rules-types.ts';
import { queueRuleOf, TraceView } from './trace-view.tsx';
import { splitList } from './rule-form.ts';

interface Form {
  channel: string;
  from: string;
  subject: string;
  text: string;
  tier: string;
  vip: boolean;
  at: string;
  followUp: boolean;
  caseState: string;
  casePriority: string;
  caseTags: string;
}

const EMPTY: Form = { channel: 'email', from: 'customer@example.com', subject: '', text: '', tier: '', vip: false, at: '', followUp: false, caseState: 'open', casePriority: '3', caseTags: '' };

function inputOf(f: Form): SimulateInput {
  return {
    channel: f.channel as SimulateInput['channel'],
    from: f.from.trim(),
    ...(f.subject.trim() ? { subject: f.subject } : {}),
    text: f.text,
    ...(f.tier.trim() || f.vip ? { contact: { ...(f.tier.trim() ? { tier: f.tier.trim() } : {}), vip: f.vip } } : {}),
    ...(f.followUp ? { case: { state: f.caseState as ConditionCaseState, priority: Number(f.casePriority) as Priority, tags: splitList(f.caseTags) } } : {}),
    ...(f.at ? { at: new Date(f.at).toISOString() } : {}),
  };
}

function Decision({ r }: { r: SimulateResult }) {
  return (
    <dl class="decision">
      <div><dt>Queue</dt><dd>{r.queue}</dd></div>
      <div><dt>Priority</dt><dd>{priorityLabel(r.priority)}</dd></div>
      <div><dt>Category</dt><dd>{r.category ?? 'none'}</dd></div>
      <div><dt>Sentiment</dt><dd>{r.sentiment}{r.frustrated ? ' (frustrated)' : ''}</dd></div>
      <div><dt>Tags</dt><dd>{r.tags.length ? r.tags.join(', ') : 'none'}</dd></div>
      <div><dt>Required skills</dt><dd>{r.requiredSkills.length ? r.requiredSkills.join(', ') : 'none'}</dd></div>
      <div><dt>Auto-reply</dt><dd>{r.autoReply ? <>“{r.autoReply.template}”: {r.autoReply.text}</> : 'none'}</dd></div>
      <div><dt>Rules version</dt><dd>{r.version}</dd></div>
    </dl>
  );
}

export function Simulator() {
  const [f, setF] = useState<Form>(EMPTY);
  const [result, setResult] = useState<SimulateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) => setF((x) => ({ ...x, ...patch }));
  const atId = useId();

  async function submit(e: Event) {
    e.preventDefault();
    if (!f.from.trim() || !f.text.trim()) {
      setError('A sender and a text are needed.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await rulesApi.simulate(inputOf(f)));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel simulator" aria-labelledby="simulator-title">
      <h2 id="simulator-title" class="panel-title">Simulator</h2>
      <p class="muted small">Tries the rules in force (not the draft) on a message; nothing is stored or sent.</p>
      <form class="simulator-form" onSubmit={(e) => void submit(e)}>
        <div class="editor-row">
          <SelectControl label="Channel" value={f.channel} options={RULE_CHANNELS.map((c) => [c, channelLabel(c)] as const)} onChange={(channel) => set({ channel })} />
          <TextControl label="From" class="grow" value={f.from} onInput={(from) => set({ from })} hint="The sender’s address on that channel" />
        </div>
        <TextControl label="Subject" value={f.subject} onInput={(subject) => set({ subject })} />
        <TextControl label="Message text" multiline value={f.text} onInput={(text) => set({ text })} />
        <div class="editor-row">
          <TextControl label="Contact tier" value={f.tier} onInput={(tier) => set({ tier })} hint="Optional; else the stored contact’s" />
          <label class="toggle"><input type="checkbox" checked={f.vip} onChange={(e) => set({ vip: e.currentTarget.checked })} />VIP contact</label>
          <div class="field">
            <label class="field-label" for={atId}>Received at</label>
            <input id={atId} type="datetime-local" value={f.at} onInput={(e) => set({ at: e.currentTarget.value })} aria-describedby={`${atId}-hint`} />
            <span id={`${atId}-hint`} class="field-hint">Empty: now (matters for business hours)</span>
          </div>
        </div>
        <label class="toggle"><input type="checkbox" checked={f.followUp} onChange={(e) => set({ followUp: e.currentTarget.checked })} />A follow-up on an existing case</label>
        {f.followUp && (
          <div class="editor-row">
            <SelectControl label="Case state" value={f.caseState} options={RULE_CASE_STATES.map((s) => [s, stateLabel(s)] as const)} onChange={(caseState) => set({ caseState })} />
            <SelectControl label="Case priority" value={f.casePriority} options={[1, 2, 3, 4].map((n) => [String(n), priorityLabel(n)] as const)} onChange={(casePriority) => set({ casePriority })} />
            <TextControl label="Case tags" value={f.caseTags} onInput={(caseTags) => set({ caseTags })} hint="Comma-separated" />
          </div>
        )}
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={busy}>Simulate</button>
        </div>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div role="status" class="simulate-status">{result && <p>Routed to <strong>{result.queue}</strong> at {priorityLabel(result.priority)}.</p>}</div>
      {result && (
        <div class="simulate-result">
          <h3>Decision</h3>
          <Decision r={result} />
          <h3>Trace</h3>
          <TraceView trace={result.trace} queueRule={queueRuleOf(result.trace)} />
        </div>
      )}
    </section>
  );
}
