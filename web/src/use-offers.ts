/**
 * The offers the agent holds: when each was made (`offeredAt`; from a gateway without it, when it arrived or
 * the case's last change, which the offer itself stamps) and when it lapses (`offerExpiresAt`, else unknown),
 * the "(n) Switchboard" title, and a chime for each new one.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { playOfferChime } from './offer-sound.ts';
import type { CaseView } from './types.ts';

export interface Offer {
  kase: CaseView;
  since: number;
  /** when the offer lapses (ms), null when the gateway does not say */
  expiresAt: number | null;
}

function expiry(c: CaseView): number | null {
  const t = c.offerExpiresAt ? Date.parse(c.offerExpiresAt) : NaN;
  return Number.isFinite(t) ? t : null;
}

export function useOffers(offered: CaseView[]): Offer[] {
  const since = useRef(new Map<string, number>());
  const primed = useRef(false);
  const [, bump] = useState(0);

  useEffect(() => {
    const seen = since.current;
    let fresh = false;
    const now = Date.now();
    const live = new Set(offered.map((c) => c.number));
    for (const c of offered) {
      if (seen.has(c.number)) continue;
      const stamped = c.offeredAt ? Date.parse(c.offeredAt) : Date.parse(c.updatedAt);
      seen.set(c.number, Number.isFinite(stamped) ? Math.min(stamped, now) : now);
      if (primed.current) fresh = true;
    }
    for (const n of [...seen.keys()]) if (!live.has(n)) seen.delete(n);
    primed.current = true;
    if (fresh) playOfferChime();
    bump((x) => x + 1);
  }, [offered]);

  useEffect(() => {
    document.title = offered.length ? `(${offered.length}) Switchboard` : 'Switchboard';
  }, [offered.length]);
  useEffect(() => () => { document.title = 'Switchboard'; }, []);

  return offered.map((kase) => {
    const stamped = kase.offeredAt ? Date.parse(kase.offeredAt) : NaN;
    return { kase, since: Number.isFinite(stamped) ? stamped : (since.current.get(kase.number) ?? Date.now()), expiresAt: expiry(kase) };
  });
}
