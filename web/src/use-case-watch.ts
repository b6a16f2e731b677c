/**
 * Collision detection: tells the stream which case this page has open and whether the agent is typing in it
 * (`{"type":"watch","case","typing"}`; typing ends 4 s after the last keystroke), says it again after a
 * reconnect, and keeps the `case.presence` list of who else is on the open case.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PresenceFrame, Viewer } from './types.ts';

const TYPING_IDLE_MS = 4000;

export interface CaseWatch {
  /** the other agents on the open case */
  viewers: Viewer[];
  /** a keystroke (true) or the draft was sent or cleared (false) */
  typing(active: boolean): void;
  onPresence(f: PresenceFrame): void;
  /** the stream (re)opened: say again what we watch */
  resend(): void;
}

export function useCaseWatch(send: (m: unknown) => boolean, caseNumber: string | null, meId: string): CaseWatch {
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const current = useRef<{ case: string | null; typing: boolean }>({ case: null, typing: false });
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const say = useCallback(() => {
    const w = current.current;
    send(w.case ? { type: 'watch', case: w.case, typing: w.typing } : { type: 'watch', case: null });
  }, [send]);

  useEffect(() => {
    if (idle.current) { clearTimeout(idle.current); idle.current = null; }
    const had = current.current.case;
    current.current = { case: caseNumber, typing: false };
    setViewers([]);
    if (caseNumber || had) say();
  }, [caseNumber, say]);

  // leaving the page: stop watching
  useEffect(() => () => { if (current.current.case) send({ type: 'watch', case: null }); }, [send]);

  const typing = useCallback((active: boolean) => {
    const w = current.current;
    if (!w.case) return;
    if (idle.current) { clearTimeout(idle.current); idle.current = null; }
    if (active) {
      idle.current = setTimeout(() => {
        idle.current = null;
        if (current.current.typing) { current.current.typing = false; say(); }
      }, TYPING_IDLE_MS);
    }
    if (w.typing !== active) { w.typing = active; say(); }
  }, [say]);

  const onPresence = useCallback((f: PresenceFrame) => {
    if (f.case !== current.current.case) return;
    setViewers(f.viewers.filter((v) => v.agentId !== meId));
  }, [meId]);

  return { viewers, typing, onPresence, resend: say };
}
