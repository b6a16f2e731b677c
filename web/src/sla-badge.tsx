/** A badge counting down to the case's most pressing SLA promise, redrawn each second. */
import { describePromise, topPromise } from './sla.ts';
import { useNow } from './use-now.ts';
import type { CaseView } from './types.ts';

export function SlaBadge({ kase, long = false }: { kase: Pick<CaseView, 'sla'>; long?: boolean }) {
  const p = topPromise(kase);
  if (!p) return null;
  return <SlaCountdown p={p} long={long} />;
}

function SlaCountdown({ p, long }: { p: NonNullable<ReturnType<typeof topPromise>>; long: boolean }) {
  const now = useNow();
  const b = describePromise(p, now, long);
  return (
    <span class={`badge sla sla-${b.tone}`} title={b.title}>
      {!long && <span class="visually-hidden">SLA {p.name} </span>}
      {b.text}
    </span>
  );
}
