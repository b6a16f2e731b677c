/** The command line of `npm run bench` and the sizes each mode runs at. */

export interface RunOptions {
  short: boolean;
  profile: boolean;
  /** scenario ids to run; null = all */
  only: Set<string> | null;
  scale: number;
  size: Sizes;
}

export interface Sizes {
  routingMs: number;
  bare: number;
  sms: number;
  /** customers, messages each */
  threading: [number, number];
  rules: number;
  rulesMessages: number;
  /** requests per second, seconds */
  rate: [number, number];
  steady: [number, number];
  /** visitors, messages each */
  chat: [number, number];
  /** cases, replies */
  outbox: [number, number];
  /** visitors, rounds */
  sessions: [number, number];
  /** chat with a console (and Slack) open: visitors, messages per second over all of them, seconds */
  console: [number, number, number];
  roundTrip: number;
  /** hostile 16 MB requests at once, admin nested bodies */
  hostile: [number, number];
  /** SLA timers: SMS per second (each a new case with a timer), seconds, the first-response target in seconds */
  slaTimers: [number, number, number];
  /** assignment pass: waiting cases of each measurement, open offers, passes timed */
  assignmentPass: { waiting: number[]; offers: number; passes: number };
  /** the workspace: open cases, interactions each, searches timed, live updates timed */
  workspace: { cases: number; perCase: number; searches: number; updates: number };
}

/** Short proves the harness works in seconds; full is for measurements. */
const SHORT: Sizes = {
  routingMs: 200,
  bare: 2000,
  sms: 100,
  threading: [25, 4],
  rules: 1000,
  rulesMessages: 100,
  rate: [100, 1],
  steady: [20, 2],
  chat: [10, 5],
  outbox: [30, 100],
  sessions: [30, 1],
  console: [5, 20, 2],
  roundTrip: 20,
  hostile: [2, 2],
  slaTimers: [100, 2, 1],
  assignmentPass: { waiting: [200, 1_000], offers: 500, passes: 5 },
  workspace: { cases: 200, perCase: 2, searches: 5, updates: 2 },
};

function fullSizes(scale: number): Sizes {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    routingMs: 2000,
    bare: 50000,
    sms: n(5000),
    threading: [n(1000), 10],
    rules: 1000,
    rulesMessages: n(5000),
    rate: [1000, n(5)],
    steady: [50, n(20)],
    chat: [100, n(50)],
    outbox: [n(1000), n(5000)],
    sessions: [1000, n(3)],
    console: [50, 240, n(20)],
    roundTrip: 300,
    hostile: [8, 10],
    slaTimers: [1000, n(10), 3],
    assignmentPass: { waiting: [1_000, 15_000, 100_000], offers: 15_000, passes: 30 },
    workspace: { cases: 10_000, perCase: 10, searches: 50, updates: 20 },
  };
}

export function parseRunOptions(args: string[]): RunOptions {
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const short = args.includes('--short');
  const scale = value('--scale') === undefined ? 1 : Number(value('--scale'));
  if (!(scale > 0)) throw new Error('--scale needs a positive number');
  const only = value('--only');
  return { short, profile: args.includes('--profile'), only: only ? new Set(only.split(',')) : null, scale, size: short ? SHORT : fullSizes(scale) };
}
