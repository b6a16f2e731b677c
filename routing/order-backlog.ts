/** The order in which a queue's waiting cases are offered: most urgent first, then the oldest. */

export interface BacklogCase {
  priority: number;
  createdAt: Date;
  /** tie-breaker so the order is stable across calls */
  id: string | number;
}

export function orderBacklog<T extends BacklogCase>(cases: readonly T[]): T[] {
  return [...cases].sort(
    (a, b) =>
      a.priority - b.priority ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      String(a.id).localeCompare(String(b.id), 'en', { numeric: true }),
  );
}
