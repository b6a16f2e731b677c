/** One shared clock for every countdown on the page: each subscriber re-renders once a second. */
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(fn: (now: number) => void): () => void {
  listeners.add(fn);
  if (!timer) timer = setInterval(() => { const now = Date.now(); for (const l of listeners) l(now); }, 1000);
  return () => {
    listeners.delete(fn);
    if (!listeners.size && timer) { clearInterval(timer); timer = null; }
  };
}

export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => subscribe(setNow), []);
  return now;
}
