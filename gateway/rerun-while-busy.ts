/**
 * Runs `work` now, or, when it is already running, once more after that run: a call made while a run is
 * under way (which may have read too early to see what the call is about) is never lost, and any number
 * of such calls cost one more run. Failures go to `onError`; the returned promise never rejects.
 */
export function rerunWhileBusy(work: () => Promise<void>, onError: (err: unknown) => void): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await work();
        } catch (err) {
          onError(err);
        }
      } while (again);
      running = null;
    })();
    return running;
  };
}
