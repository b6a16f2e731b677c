import crypto from 'node:crypto';
import type { WebSocket } from 'ws';
import type { EventBus } from './events.ts';

/** Someone with a case open in the workspace, and whether they are writing in it. */
export interface CaseViewer {
  agentId: string;
  name: string;
  typing: boolean;
}

interface Watch {
  case: string;
  typing: boolean;
  agentId: string;
  name: string;
}

/** How long another instance's viewers count without its word again (it repeats its own every HEARTBEAT_MS). */
const REMOTE_TTL_MS = 60_000;
const HEARTBEAT_MS = 20_000;

/**
 * Who has which case open, and who is typing in it, across instances: each instance tells the others its
 * own viewers of a case whenever they change, and every 20 s again with the list of its open cases (a lost
 * word of leaving is made good then, and an instance that died is forgotten within a minute); it sends
 * `case.presence` frames to the agent streams watching that case. Nothing is stored: it is this moment only.
 */
export class CasePresence {
  private readonly instance = crypto.randomUUID();
  private readonly local = new Map<WebSocket, Watch>();
  private readonly remote = new Map<string, { until: number; cases: Map<string, CaseViewer[]> }>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = events.on((e, source) => {
      if (source !== 'remote') return;
      if (e.type === 'events.missed') return this.forgetRemote();
      if (e.type === 'case.presence.snapshot' && e.instance !== this.instance) return this.keepOnly(e.instance, e.caseNumbers);
      if (e.type !== 'case.presence' || e.instance === this.instance) return;
      const entry = this.remote.get(e.instance) ?? { until: 0, cases: new Map<string, CaseViewer[]>() };
      entry.until = this.now() + REMOTE_TTL_MS;
      if (e.viewers.length) entry.cases.set(e.caseNumber, e.viewers);
      else entry.cases.delete(e.caseNumber);
      this.remote.set(e.instance, entry);
      this.tell(e.caseNumber);
    });
    this.timer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** The socket's agent now has `case` open (null: none), typing or not. */
  watch(socket: WebSocket, who: { agentId: string; name: string }, watch: { case: string | null; typing: boolean }): void {
    const before = this.local.get(socket);
    if (before && before.case === watch.case && before.typing === watch.typing) return;
    if (watch.case) this.local.set(socket, { case: watch.case, typing: watch.typing, ...who });
    else this.local.delete(socket);
    for (const n of new Set([before?.case, watch.case])) if (n) this.changed(n);
  }

  /** The socket closed: its agent has nothing open any more. */
  leave(socket: WebSocket): void {
    const before = this.local.get(socket);
    if (!before) return;
    this.local.delete(socket);
    this.changed(before.case);
  }

  /** Everyone with the case open, on any instance; an agent in two tabs counts once, typing if in either. */
  viewersOf(caseNumber: string): CaseViewer[] {
    const byAgent = new Map<string, CaseViewer>();
    const now = this.now();
    const all = [...this.localViewers(caseNumber), ...[...this.remote.values()].filter((r) => r.until > now).flatMap((r) => r.cases.get(caseNumber) ?? [])];
    for (const v of all) {
      const seen = byAgent.get(v.agentId);
      byAgent.set(v.agentId, { ...v, typing: v.typing || (seen?.typing ?? false) });
    }
    return [...byAgent.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }

  private localViewers(caseNumber: string): CaseViewer[] {
    return [...this.local.values()].filter((w) => w.case === caseNumber).map(({ agentId, name, typing }) => ({ agentId, name, typing }));
  }

  private changed(caseNumber: string): void {
    this.events.tellOthers({ type: 'case.presence', caseId: null, caseNumber, instance: this.instance, viewers: this.localViewers(caseNumber) });
    this.tell(caseNumber);
  }

  /** A frame with the case's viewers to every local stream that has it open. */
  private tell(caseNumber: string): void {
    const frame = JSON.stringify({ type: 'case.presence', case: caseNumber, viewers: this.viewersOf(caseNumber) });
    for (const [socket, w] of this.local) if (w.case === caseNumber && socket.readyState === socket.OPEN) socket.send(frame);
  }

  /** Another instance's open cases now: a case it was seen on and no longer has open (its word of leaving lost) is forgotten. */
  private keepOnly(instance: string, caseNumbers: string[]): void {
    const entry = this.remote.get(instance);
    if (!entry) return;
    const open = new Set(caseNumbers);
    for (const n of [...entry.cases.keys()]) {
      if (open.has(n)) continue;
      entry.cases.delete(n);
      this.tell(n);
    }
  }

  /** Events were lost between instances: what they said of their viewers is not to be trusted until they say it again. */
  private forgetRemote(): void {
    const cases = new Set([...this.remote.values()].flatMap((r) => [...r.cases.keys()]));
    this.remote.clear();
    for (const n of cases) this.tell(n);
  }

  /** Forgets instances gone quiet, and tells the others this one's whole picture. */
  heartbeat(): void {
    const now = this.now();
    for (const [instance, r] of this.remote) {
      if (r.until > now) continue;
      this.remote.delete(instance);
      for (const n of r.cases.keys()) this.tell(n);
    }
    // each open case's viewers again (they keep the others' picture of this instance fresh), then which cases those are
    const open = [...new Set([...this.local.values()].map((w) => w.case))];
    for (const n of open) this.events.tellOthers({ type: 'case.presence', caseId: null, caseNumber: n, instance: this.instance, viewers: this.localViewers(n) });
    this.events.tellOthers({ type: 'case.presence.snapshot', caseId: null, instance: this.instance, caseNumbers: open });
  }
}

export const WATCH_HELP = 'send {"type":"watch","case":"CS0001001"|null,"typing":true|false} or {"type":"ping"}';
const CASE_NUMBER = /^CS\d{7,12}$/u;

/** A workspace's watch frame (the case it has open, whether its agent types), or null when the text is not one. */
export function parseWatchFrame(text: string): { case: string | null; typing: boolean } | null {
  if (text.length > 200) return null;
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (!frame || typeof frame !== 'object') return null;
  const f = frame as { type?: unknown; case?: unknown; typing?: unknown };
  if (f.type !== 'watch' || (f.case !== null && (typeof f.case !== 'string' || !CASE_NUMBER.test(f.case))) || (f.typing !== undefined && typeof f.typing !== 'boolean')) return null;
  return { case: f.case, typing: f.case !== null && f.typing === true };
}

/**
 * `GET /api/v1/stream` (WebSocket; the agent token in the Authorization header, or as `access_token`
 * from a browser, which cannot set headers on a WebSocket): every case event, pushed to every
 * connected agent by `stream`; closed with 4401 when the token is revoked, 4409 when its role changes.
 */
