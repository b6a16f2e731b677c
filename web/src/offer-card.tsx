/** The offers the agent holds, each with Accept (claim) and Decline (with an optional reason). */
import { Field } from './field.tsx';
import { useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { channelLabel, clock, contactOf, priorityLabel } from './format.ts';
import { useNow } from './use-now.ts';
import type { Offer } from './use-offers.ts';
import type { CaseView, Queue } from './types.ts';

const DECLINE_REASONS = ['Busy with another customer', 'Not my area', 'About to go on a break', 'Other'];

interface Props {
  offers: Offer[];
  queues: Queue[];
  onAccepted(c: CaseView): void;
  onDeclined(c: CaseView): void;
}

export function OfferPanel({ offers, queues, onAccepted, onDeclined }: Props) {
  if (!offers.length) return null;
  return (
    <section class="offers" role="region" aria-label="Offers">
      <h2 class="offers-title">{offers.length === 1 ? 'A case is offered to you' : `${offers.length} cases are offered to you`}</h2>
      {offers.map((o) => (
        <OfferCard key={o.kase.number} offer={o} timeout={queues.find((q) => q.name === o.kase.queue)?.offerTimeoutSeconds ?? null} onAccepted={onAccepted} onDeclined={onDeclined} />
      ))}
    </section>
  );
}

interface CardProps {
  offer: Offer;
  timeout: number | null;
  onAccepted(c: CaseView): void;
  onDeclined(c: CaseView): void;
}

function OfferCard({ offer: { kase: c, since }, timeout, onAccepted, onDeclined }: CardProps) {
  const now = useNow();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const elapsed = now - since;
  const left = timeout ? timeout * 1000 - elapsed : null;
  const titleId = `offer-${c.number}-title`;

  async function act(kind: 'accept' | 'decline') {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'accept') onAccepted(await api.claim(c.number));
      else onDeclined(await api.decline(c.number, reason || undefined));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <article class={`offer-card${left !== null && left < 15_000 ? ' urgent' : ''}`} aria-labelledby={titleId}>
      <div class="offer-head">
        <h3 id={titleId} class="offer-subject">{c.subject || '(no subject)'}</h3>
        <span class={`badge prio p${c.priority}`}>{priorityLabel(c.priority)}</span>
      </div>
      <p class="offer-meta">
        <span class="num">{c.number}</span> · <span>{contactOf(c)}</span> · <span>{channelLabel(c.channel)}</span>
        {c.queue && <> · <span>{c.queue}</span></>}
      </p>
      <p class="offer-timer">
        <span>Offered <time>{clock(elapsed)}</time> ago</span>
        {left !== null && (
          <span class="offer-left">{left > 0 ? <>, lapses in about <time>{clock(left)}</time></> : ', about to lapse'}</span>
        )}
      </p>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="offer-actions">
        <button type="button" class="btn primary" disabled={busy} onClick={() => void act('accept')}>Accept</button>
        <Field class="inline" label="Reason">{(id) => (
          <select id={id} value={reason} onChange={(e) => setReason(e.currentTarget.value)} disabled={busy}>
            <option value="">No reason</option>
            {DECLINE_REASONS.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        )}</Field>
        <button type="button" class="btn" disabled={busy} onClick={() => void act('decline')}>Decline</button>
      </div>
    </article>
  );
}
