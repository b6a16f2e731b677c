/** The offers the agent holds, each with Accept (claim) and Decline (with a reason, or at once without one). */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { channelLabel, clock, contactOf, priorityLabel } from './format.ts';
import { useNow } from './use-now.ts';
import type { Offer } from './use-offers.ts';
import type { CaseView, Queue } from './types.ts';

const DECLINE_REASONS = ['Busy with another customer', 'Not my expertise', 'Going on a break'];
const OTHER = 'other';

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

function OfferCard({ offer: { kase: c, since, expiresAt }, timeout, onAccepted, onDeclined }: CardProps) {
  const now = useNow();
  const [choosing, setChoosing] = useState(false);
  const [reason, setReason] = useState(DECLINE_REASONS[0]!);
  const [other, setOther] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstReason = useRef<HTMLInputElement>(null);
  const declineButton = useRef<HTMLButtonElement>(null);
  const uid = useId();
  const elapsed = now - since;
  // the gateway's own expiry when it gives one; else the queue's timeout from when the offer was seen
  const left = expiresAt !== null ? expiresAt - now : timeout ? timeout * 1000 - elapsed : null;
  const exact = expiresAt !== null;
  const titleId = `offer-${c.number}-title`;

  useEffect(() => { if (choosing) firstReason.current?.focus(); }, [choosing]);

  async function act(kind: 'accept' | 'decline', why?: string) {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'accept') onAccepted(await api.claim(c.number));
      else onDeclined(await api.decline(c.number, why?.trim().slice(0, 200) || undefined));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  const chosenReason = reason === OTHER ? other.trim() : reason;
  const cancelChoice = () => { setChoosing(false); requestAnimationFrame(() => declineButton.current?.focus()); };

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
          <span
            class="offer-left"
            role="timer"
            aria-label={left > 0 ? `Offer lapses in ${spoken(left)}` : 'Offer is about to lapse'}
          >
            {left > 0 ? <>, lapses in {exact ? '' : 'about '}<time>{clock(left)}</time></> : ', about to lapse'}
          </span>
        )}
      </p>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="offer-actions">
        <button type="button" class="btn primary" disabled={busy} onClick={() => void act('accept')}>Accept</button>
        <button
          type="button"
          class="btn"
          ref={declineButton}
          disabled={busy}
          aria-expanded={choosing}
          aria-controls={`${uid}-reasons`}
          onClick={() => (choosing ? cancelChoice() : setChoosing(true))}
        >
          Decline
        </button>
        <button type="button" class="btn ghost" disabled={busy} onClick={() => void act('decline')}>Decline without reason</button>
      </div>
      {choosing && (
        <form
          id={`${uid}-reasons`}
          class="decline-reasons"
          onSubmit={(e) => { e.preventDefault(); if (chosenReason) void act('decline', chosenReason); }}
          onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); cancelChoice(); } }}
        >
          <fieldset>
            <legend>Why decline {c.number}?</legend>
            {DECLINE_REASONS.map((r, i) => (
              <label key={r} class="choice">
                <input type="radio" name={`${uid}-reason`} value={r} checked={reason === r} ref={i === 0 ? firstReason : undefined} onChange={() => setReason(r)} />
                <span>{r}</span>
              </label>
            ))}
            <label class="choice">
              <input type="radio" name={`${uid}-reason`} value={OTHER} checked={reason === OTHER} onChange={() => setReason(OTHER)} />
              <span>Other…</span>
            </label>
            {reason === OTHER && (
              <span class="field">
                <label class="field-label" for={`${uid}-other`}>Reason</label>
                <input id={`${uid}-other`} type="text" maxLength={200} value={other} required onInput={(e) => setOther(e.currentTarget.value)} />
              </span>
            )}
          </fieldset>
          <div class="offer-actions">
            <button type="submit" class="btn danger" disabled={busy || !chosenReason}>Decline offer</button>
            <button type="button" class="btn ghost" disabled={busy} onClick={cancelChoice}>Cancel</button>
          </div>
        </form>
      )}
    </article>
  );
}

function spoken(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const r = s % 60;
  return m ? `${m} minute${m === 1 ? '' : 's'} ${r} second${r === 1 ? '' : 's'}` : `${r} second${r === 1 ? '' : 's'}`;
}
