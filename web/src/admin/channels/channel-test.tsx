/** Sends a test message through a channel and says what came of it. */
import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { channelsApi } from './channels-api.ts';

const TO: Record<string, { label: string; hint: string; type: 'email' | 'tel' | 'text' }> = {
  email: { label: 'Email address', hint: 'e.g. you@example.com', type: 'email' },
  sms: { label: 'Phone number', hint: 'E.164, e.g. +14155550123', type: 'tel' },
  slack: { label: 'Slack channel id', hint: 'e.g. C0123456', type: 'text' },
};

export function ChannelTest({ name, title }: { name: string; title: string }) {
  const id = useId();
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const spec = TO[name] ?? { label: 'Send to', hint: '', type: 'text' as const };

  async function send(e: Event) {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const r = await channelsApi.test(name, to.trim());
      setResult({ ok: true, text: `Sent to ${to.trim()}: the provider answered “${r.status}”${r.externalId ? ` (its id ${r.externalId})` : ''}.` });
    } catch (x) {
      setResult({ ok: false, text: `Not sent: ${errorMessage(x)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="channel-test" onSubmit={(e) => void send(e)} aria-label={`Send a test ${title} message`}>
      <div class="field admin-field">
        <label class="field-label" for={id}>{spec.label} for a test</label>
        <input id={id} type={spec.type as 'text'} value={to} aria-describedby={`${id}-hint`} onInput={(e) => setTo(e.currentTarget.value)} />
        <p id={`${id}-hint`} class="field-hint">{spec.hint}</p>
      </div>
      <button type="submit" class="btn" disabled={busy || !to.trim()}>Send a test<span class="visually-hidden"> {title} message</span></button>
      {result && (result.ok ? <p class="notice" role="status">{result.text}</p> : <p class="form-error" role="alert">{result.text}</p>)}
    </form>
  );
}
