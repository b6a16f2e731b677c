/**
 * What happens to a case that waits too long in its queue: the queue's overflow steps (each after so many
 * seconds of waiting: relax the required skills, let agents of other queues take it, move it to another
 * queue, raise its priority, alert the supervisors) and its aging (the priority rises by one every so many
 * seconds, to 1, so nothing starves). Pure: the wait and what was done in, what is due and when to look
 * again out.
 */
export type OverflowAction =
  | { type: 'relaxSkills' }
  | { type: 'widen'; queues: string[] }
  | { type: 'move'; queue: string }
  | { type: 'priority'; value: number }
  | { type: 'alert' };

export interface OverflowStep {
  afterSeconds: number;
  actions: OverflowAction[];
}

export interface WaitFacts {
  /** since when the case waits */
  since: Date;
  priority: number;
  /** the queue's steps, in order of afterSeconds */
  steps: readonly OverflowStep[];
  /** steps taken already */
  stepsDone: number;
  agingSeconds: number | null;
  /** aging steps taken already */
  agingDone: number;
}

export interface WaitPlan {
  /** the steps due now, in order, with their index */
  steps: Array<{ index: number; step: OverflowStep }>;
  /** priority steps due now by aging */
  aging: number;
  /** when something falls due next; null: nothing more will */
  next: Date | null;
}

export function planWait(f: WaitFacts, now: Date): WaitPlan {
  const waited = (now.getTime() - f.since.getTime()) / 1000;
  const steps: WaitPlan['steps'] = [];
  let next: number | null = null;
  for (let i = f.stepsDone; i < f.steps.length; i++) {
    const step = f.steps[i]!;
    if (step.afterSeconds <= waited) steps.push({ index: i, step });
    else {
      next = f.since.getTime() + step.afterSeconds * 1000;
      break;
    }
  }
  let aging = 0;
  if (f.agingSeconds && f.agingSeconds > 0) {
    const due = Math.floor(waited / f.agingSeconds);
    // never past priority 1
    aging = Math.max(0, Math.min(due - f.agingDone, f.priority - 1));
    if (f.priority - aging > 1) {
      const at = f.since.getTime() + (f.agingDone + aging + 1) * f.agingSeconds * 1000;
      if (next === null || at < next) next = at;
    }
  }
  return { steps, aging, next: next === null ? null : new Date(next) };
}

/**
 * Every problem of a queue's overflow and aging settings, with its path. `queues`: every queue there is,
 * by lower-case name, with its name and the queues its own steps move cases to (lower case).
 */
export function checkOverflow(
  steps: readonly OverflowStep[],
  agingSeconds: number | null,
  self: string,
  queues: ReadonlyMap<string, { name: string; moves: readonly string[] }>,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const at = (path: string, message: string) => problems.push({ path, message });
  let last = 0;
  steps.forEach((s, i) => {
    if (s.afterSeconds <= last) at(`overflow[${i}].afterSeconds`, `each step comes after the one before it (${last} s)`);
    last = Math.max(last, s.afterSeconds);
    if (s.actions.length === 0) at(`overflow[${i}].actions`, 'a step does at least one thing');
    s.actions.forEach((a, j) => {
      const path = `overflow[${i}].actions[${j}]`;
      if (a.type === 'move') {
        if (!queues.has(a.queue.toLowerCase())) at(`${path}.queue`, `no queue named "${a.queue}"`);
        else if (a.queue.toLowerCase() === self.toLowerCase()) at(`${path}.queue`, 'a case cannot overflow to its own queue');
        else {
          const back = pathBack(a.queue.toLowerCase(), self.toLowerCase(), queues);
          if (back) at(`${path}.queue`, `cases would go round in circles: ${[self, ...back].join(' → ')}`);
        }
      }
      if (a.type === 'widen') {
        if (a.queues.length === 0) at(`${path}.queues`, 'name at least one queue');
        a.queues.forEach((q, k) => {
          if (!queues.has(q.toLowerCase())) at(`${path}.queues[${k}]`, `no queue named "${q}"`);
        });
      }
      if (a.type === 'priority' && (!Number.isInteger(a.value) || a.value < 1 || a.value > 4)) at(`${path}.value`, 'a priority is 1 (highest) to 4');
    });
  });
  if (agingSeconds !== null && agingSeconds < 10) at('agingSeconds', 'aging steps are at least 10 seconds apart');
  return problems;
}

/** The queues a case moved to `from` goes through by their own moves until it is back in `home`, or null if it never is. */
function pathBack(from: string, home: string, queues: ReadonlyMap<string, { name: string; moves: readonly string[] }>): string[] | null {
  const seen = new Set<string>();
  const walk = (at: string): string[] | null => {
    const q = queues.get(at);
    if (at === home) return [q?.name ?? at];
    if (seen.has(at)) return null;
    seen.add(at);
    for (const next of q?.moves ?? []) {
      const rest = walk(next);
      if (rest) return [q?.name ?? at, ...rest];
    }
    return null;
  };
  return walk(from);
}
