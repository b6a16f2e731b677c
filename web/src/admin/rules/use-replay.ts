/** One replay of a draft at a time: its progress, then its result (or why it failed); a new run or a cancel ends the last. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { rulesApi } from './rules-api.ts';
import { problemsOf } from './rules-http.ts';
import type { ReplayDraft, ReplayResult, RuleProblem } from './rules-types.ts';

export type ReplayState =
  | { status: 'idle' }
  | { status: 'running'; done: number; total: number }
  | { status: 'done'; result: ReplayResult; draftKey: string }
  | { status: 'failed'; message: string; problems: RuleProblem[] };

export function useReplay(csrf: string) {
  const [state, setState] = useState<ReplayState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);

  const cancel = useCallback(() => {
    running.current?.abort();
    running.current = null;
    setState({ status: 'idle' });
  }, []);

  useEffect(() => () => running.current?.abort(), []);

  const run = useCallback(async (draft: ReplayDraft, limit: number, draftKey: string) => {
    running.current?.abort();
    const ctl = new AbortController();
    running.current = ctl;
    setState({ status: 'running', done: 0, total: limit });
    try {
      const events = await rulesApi.replay(draft, limit, csrf, ctl.signal);
      for await (const e of events) {
        if (ctl.signal.aborted) return;
        if (e.type === 'progress') setState({ status: 'running', done: e.done, total: e.total });
        else if (e.type === 'result') {
          setState({ status: 'done', result: e, draftKey });
          return;
        } else if (e.type === 'error') {
          setState({ status: 'failed', message: e.error.message, problems: [] });
          return;
        }
      }
      if (!ctl.signal.aborted) setState({ status: 'failed', message: 'The replay ended without a result. Try again.', problems: [] });
    } catch (e) {
      if (!ctl.signal.aborted) setState({ status: 'failed', message: errorMessage(e), problems: problemsOf(e) });
    } finally {
      if (running.current === ctl) running.current = null;
    }
  }, [csrf]);

  const reset = useCallback(() => setState({ status: 'idle' }), []);

  return { state, run, cancel, reset };
}
