/** The conversation: customer messages, answers (with delivery status), internal notes and events. Text is only ever text. */
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { channelLabel, contactOf, fileSize, when, whenLong } from './format.ts';
import type { CaseView, Interaction } from './types.ts';
import { api } from './api-client.ts';

interface Props {
  kase: CaseView;
  interactions: Interaction[];
  agentName(id: string | null): string;
  /** sends a failed answer again */
  onResend(interactionId: string): Promise<void>;
}

/** scrolls to one message and puts the focus on it (after a collision warning's Review) */
export function revealInteraction(id: string): void {
  const el = document.getElementById(`msg-${id}`);
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.classList.add('flash');
  el.focus({ preventScroll: true });
  setTimeout(() => el.classList.remove('flash'), 2500);
}

// what the server sends again on request (a failed send, or an SMS the carrier could not deliver)
const RESENDABLE = new Set(['failed', 'undelivered']);
const OUTBOUND_KIND: Record<string, string> = { auto_reply: 'Automatic reply', notice: 'Internal notice' };
const DELIVERY_TONE: Record<string, string> = { failed: 'bad', undelivered: 'bad', bounced: 'bad', delivered: 'good', read: 'good', sent: 'ok', queued: 'wait', pending: 'wait' };

function classify(i: Interaction): 'inbound' | 'outbound' | 'note' | 'event' {
  if (i.direction === 'note') return 'note';
  if (i.direction === 'event') return 'event';
  return i.direction === 'outbound' ? 'outbound' : 'inbound';
}

function who(i: Interaction, c: CaseView, agentName: (id: string | null) => string): string {
  switch (classify(i)) {
    case 'inbound': {
      const address = c.contact.email || c.contact.phone;
      return c.contact.name ? `${c.contact.name}${address ? ` <${address}>` : ''}` : contactOf(c);
    }
    case 'outbound': return i.agentId ? agentName(i.agentId) : (OUTBOUND_KIND[i.kind] ?? 'Switchboard');
    case 'note': return i.agentId ? agentName(i.agentId) : 'System';
    case 'event': return 'System';
  }
}

function directionLabel(i: Interaction): string {
  switch (classify(i)) {
    case 'inbound': return i.kind && i.kind !== 'message' ? `Received (${i.kind.replace(/_/g, ' ')})` : 'Received';
    case 'outbound': return OUTBOUND_KIND[i.kind] ?? 'Reply';
    case 'note': return 'Internal note';
    case 'event': return 'Event';
  }
}

export function Timeline({ kase, interactions, agentName, onResend }: Props) {
  const box = useRef<HTMLOListElement>(null);
  const atEnd = useRef(true);
  const lastCase = useRef<string | null>(null);

  // follow new messages when the agent is at the bottom; a newly opened case starts at its end
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (lastCase.current !== kase.number || atEnd.current) el.scrollTop = el.scrollHeight;
    lastCase.current = kase.number;
  }, [interactions, kase.number]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const on = () => { atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48; };
    el.addEventListener('scroll', on, { passive: true });
    return () => el.removeEventListener('scroll', on);
  }, []);

  return (
    <ol class="timeline" ref={box} aria-label="Conversation" tabIndex={0}>
      {interactions.length === 0 && <li class="empty">No messages yet.</li>}
      {interactions.map((i) => {
        const kind = classify(i);
        const failed = i.status === 'failed' || i.status === 'undelivered' || i.status === 'bounced';
        if (kind === 'event') {
          return (
            <li key={i.id} class="item event">
              <span class="event-text">{i.text}</span>{' '}
              <span class="meta"><span>System</span> · <time dateTime={i.createdAt} title={whenLong(i.createdAt)}>{when(i.createdAt)}</time></span>
            </li>
          );
        }
        return (
          <li key={i.id} id={`msg-${i.id}`} tabIndex={-1} class={`item ${kind}${failed ? ' failed' : ''}`}>
            <div class="item-head">
              <span class="item-who">{who(i, kase, agentName)}</span>
              {kind === 'note' ? <span class="note-label">Internal note</span> : <span class="item-dir">{directionLabel(i)}</span>}
              <span class="item-channel">{channelLabel(i.channel)}</span>
              <time dateTime={i.createdAt} title={whenLong(i.createdAt)}>{when(i.createdAt)}</time>
            </div>
            {i.subject && kind !== 'note' && <div class="item-subject">{i.subject}</div>}
            <div class="item-text">{i.text || (i.attachments.length ? '' : '(empty)')}</div>
            {i.attachments.length > 0 && (
              <ul class="attachments" aria-label="Attachments">
                {i.attachments.map((a, n) => (
                  <li key={n}>
                    {a.storedPath ? (
                      <a href={api.attachmentUrl(kase.number, i.id, n)} target="_blank" rel="noopener noreferrer">{a.name}</a>
                    ) : (
                      a.name
                    )}{' '}
                    <span class="muted">({fileSize(a.size)})</span>
                  </li>
                ))}
              </ul>
            )}
            {kind === 'outbound' && i.status && (
              <div class={`delivery delivery-${DELIVERY_TONE[i.status] ?? 'ok'}`}>
                Delivery: {i.status}{i.error ? ` — ${i.error}` : ''}
                {RESENDABLE.has(i.status) && (
                  <button type="button" class="btn small" onClick={() => void onResend(i.id)}>Send again</button>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
