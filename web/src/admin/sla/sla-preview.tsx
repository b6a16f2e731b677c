/** When a case with these facts would fall due, as a sentence (POST /api/v1/sla-policies/simulate; nothing is written). */
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { CHANNELS } from '../../types.ts';
import { FormField } from '../team/form-field.tsx';
import { localInputValue } from '../team/format-time.ts';
import { simulationSentence } from './describe-sla.ts';
import { slaApi } from './sla-api.ts';
import type { SimulateInput, Simulation } from './sla-types.ts';

/** facts to preview, from a policy's "Preview" (`n` tells two asks apart) */
export interface PreviewSeed extends SimulateInput {
  n: number;
}

function nextFridayAfternoon(): Date {
  const d = new Date();
  d.setDate(d.getDate() + ((5 - d.getDay() + 7) % 7));
  d.setHours(16, 30, 0, 0);
  return d;
}

export function SlaPreview({ seed, queues, version }: { seed: PreviewSeed | null; queues: readonly string[]; version: number }) {
  const [priority, setPriority] = useState(1);
  const [channel, setChannel] = useState('email');
  const [queue, setQueue] = useState('General');
  const [tier, setTier] = useState('standard');
  const [vip, setVip] = useState(false);
  const [at, setAt] = useState(() => localInputValue(nextFridayAfternoon()));
  const [result, setResult] = useState<{ sentence: string; sim: Simulation } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(input: SimulateInput, when: string) {
    setError(null);
    const arrival = new Date(when);
    if (Number.isNaN(arrival.getTime())) return setError('Give the arrival as a date and a time.');
    try {
      const sim = await slaApi.simulate({ ...input, at: arrival.toISOString() });
      setResult({ sentence: simulationSentence(input, arrival, sim), sim });
    } catch (e) {
      setResult(null);
      setError(errorMessage(e));
    }
  }

  const input = (): SimulateInput => ({ priority, channel, queue, tier: tier.trim() || 'standard', vip });

  useEffect(() => {
    if (!seed) return;
    setPriority(seed.priority);
    setChannel(seed.channel);
    if (seed.queue) setQueue(seed.queue);
    setTier(seed.tier ?? 'standard');
    setVip(seed.vip ?? false);
    void run({ priority: seed.priority, channel: seed.channel, queue: seed.queue ?? queue, tier: seed.tier ?? 'standard', vip: seed.vip ?? false }, at);
  }, [seed?.n]);

  // the policies changed: the shown preview may be out of date
  useEffect(() => { if (result) void run(input(), at); }, [version]);

  return (
    <section class="admin-section" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p class="muted small">When a new case would fall due if nobody answered it. Times are in your time zone.</p>
      <form class="admin-form" onSubmit={(e) => { e.preventDefault(); void run(input(), at); }}>
        <div class="form-grid">
          <FormField label="Priority">
            {(c) => <select {...c} value={priority} onChange={(e) => setPriority(Number(e.currentTarget.value))}>{[1, 2, 3, 4].map((p) => <option key={p} value={p}>{p}</option>)}</select>}
          </FormField>
          <FormField label="Channel">
            {(c) => <select {...c} value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>{CHANNELS.map((ch) => <option key={ch} value={ch}>{ch}</option>)}</select>}
          </FormField>
          <FormField label="Queue">
            {(c) => (
              <select {...c} value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
                {[...new Set([queue, ...queues])].map((q) => <option key={q} value={q}>{q}</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Account tier">{(c) => <input {...c} type="text" value={tier} onInput={(e) => setTier(e.currentTarget.value)} />}</FormField>
          <FormField label="Arriving at">{(c) => <input {...c} type="datetime-local" value={at} onInput={(e) => setAt(e.currentTarget.value)} />}</FormField>
        </div>
        <label class="choice"><input type="checkbox" checked={vip} onChange={(e) => setVip(e.currentTarget.checked)} /> From a VIP account</label>
        <div><button type="submit" class="btn primary">Preview</button></div>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div aria-live="polite">
        {result && (
          <div class="preview-result">
            <p class="preview-sentence">{result.sentence}</p>
            {result.sim.calendar && <p class="muted small">Business hours of the calendar “{result.sim.calendar}”.</p>}
            <details>
              <summary>Why this policy</summary>
              <ol class="trace">{result.sim.trace.map((line, i) => <li key={i}>{line}</li>)}</ol>
            </details>
          </div>
        )}
      </div>
    </section>
  );
}
