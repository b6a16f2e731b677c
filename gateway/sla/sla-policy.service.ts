import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import { insertAudit } from '../../store/audit.repository.ts';
import { listCalendars } from '../../store/calendar.repository.ts';
import { queueNames } from '../../store/ops.repository.ts';
import { agentIds } from '../../store/directory.repository.ts';
import { insertSlaPolicyVersion, latestSlaPolicies, listSlaPolicyVersions, slaPolicyVersion } from '../../store/sla.repository.ts';
import { newId } from '../../store/ids.ts';
import { checkSlaPolicies, type SlaPolicyProblem } from '../../routing/sla-policy-check.ts';
import type { SlaPolicy } from '../../routing/sla-policy.ts';
import { actorName, type Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { rerunWhileBusy } from '../rerun-while-busy.ts';
import type { EventBus } from '../events.ts';
import { defaultSlaPolicies } from './default-sla-policies.ts';
import { simulateSla, type SlaSimulationRequest } from './simulate-sla.ts';

/** A policy as the API takes it: match values may be one value or a list of them. */
export interface SlaPolicyInput {
  name: string;
  enabled?: boolean;
  match?: { priority?: number | number[]; channel?: string | string[]; queue?: string | string[]; category?: string | string[]; tags?: string | string[]; tier?: string | string[]; vip?: boolean };
  calendar?: string | null;
  targets: SlaPolicy['targets'];
  warnBefore?: string | null;
  pauseStates?: string[];
  escalations?: SlaPolicy['escalations'];
  position?: number;
}

export interface SlaPolicyVersionView {
  version: number;
  author: string;
  change: string;
  createdAt: string;
}

interface Active extends SlaPolicyVersionView {
  policies: SlaPolicy[];
}

const DEFAULT_PAUSE_STATES = ['awaiting_customer'];

const asList = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

function normalized(id: string, input: SlaPolicyInput): SlaPolicy {
  const m = input.match ?? {};
  const match: SlaPolicy['match'] = {};
  for (const key of ['priority', 'channel', 'queue', 'category', 'tags', 'tier'] as const) {
    const v = asList(m[key] as never);
    if (v !== undefined) (match as Record<string, unknown>)[key] = v;
  }
  if (m.vip !== undefined) match.vip = m.vip;
  return {
    id,
    name: input.name.trim(),
    enabled: input.enabled ?? true,
    match,
    calendar: input.calendar === undefined ? 'case' : input.calendar,
    targets: input.targets,
    warnBefore: input.warnBefore ?? null,
    pauseStates: input.pauseStates ?? DEFAULT_PAUSE_STATES,
    escalations: input.escalations ?? [],
  };
}

/**
 * The SLA policies in force, as an ordered list kept in versions like the routing rules: each change is
 * validated as a whole (every problem with its path), stored as a new version with its audit entry in one
 * transaction, and only then in force, here and (through the events) on every other instance.
 */
export class SlaPolicyService {
  private active: Active | null = null;
  // a change told while a read runs is read again after it
  private readonly refresh = rerunWhileBusy(
    () => this.readNewest(),
    (err) => this.deps.log.error({ err }, 'SLA policies changed on another instance could not be read; the next change tries again'),
  );

  constructor(private readonly deps: { db: Db; events: EventBus; now: () => Date; log: FastifyBaseLogger }) {
    deps.events.on((e, source) => {
      if (source === 'remote' && ((e.type === 'sla.changed' && e.version > (this.active?.version ?? 0)) || e.type === 'events.missed')) void this.refresh();
    });
  }

  /** Loads the newest version; on a first start, seeds the default policies as version 1. */
  async load(): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      if (await latestSlaPolicies(tx)) return;
      const version = await insertSlaPolicyVersion(tx, { policies: JSON.stringify(defaultSlaPolicies()), author: 'system', change: 'default policies' }, this.deps.now());
      await insertAudit(tx, { actor: 'system', actorRole: 'system', action: 'sla-policies.seeded', target: `sla-policies:${version}` }, this.deps.now());
    });
    await this.readNewest();
  }

  /** The policies in force, in order. */
  get policies(): readonly SlaPolicy[] {
    return this.active?.policies ?? [];
  }

  get version(): number {
    return this.active?.version ?? 0;
  }

  list(): { version: number; items: SlaPolicy[] } {
    return { version: this.version, items: [...this.policies] };
  }

  get(id: string): SlaPolicy {
    const found = this.policies.find((p) => p.id === id);
    if (!found) throw new GatewayError('SLA_POLICY_NOT_FOUND', `no SLA policy ${id}`);
    return found;
  }

  async create(actor: Actor, input: SlaPolicyInput): Promise<SlaPolicy> {
    const policy = normalized(newId(this.deps.now().getTime()), input);
    await this.change(actor, `policy "${policy.name}" created`, 'sla-policy.created', policy.id, (list) => {
      const at = Math.max(0, Math.min(input.position ?? list.length, list.length));
      return { list: [...list.slice(0, at), policy, ...list.slice(at)], before: undefined, after: policy };
    });
    return this.get(policy.id);
  }

  async update(actor: Actor, id: string, patch: Partial<SlaPolicyInput>): Promise<SlaPolicy> {
    await this.change(actor, `policy ${id} changed`, 'sla-policy.updated', id, (list) => {
      const i = list.findIndex((p) => p.id === id);
      if (i === -1) throw new GatewayError('SLA_POLICY_NOT_FOUND', `no SLA policy ${id}`);
      const before = list[i]!;
      const merged = normalized(id, {
        name: patch.name ?? before.name,
        enabled: patch.enabled ?? before.enabled,
        match: patch.match ?? before.match,
        calendar: patch.calendar === undefined ? before.calendar : patch.calendar,
        targets: patch.targets ?? before.targets,
        warnBefore: patch.warnBefore === undefined ? before.warnBefore : patch.warnBefore,
        pauseStates: patch.pauseStates ?? before.pauseStates,
        escalations: patch.escalations ?? before.escalations,
      });
      const rest = list.filter((p) => p.id !== id);
      const at = patch.position === undefined ? i : Math.max(0, Math.min(patch.position, rest.length));
      return { list: [...rest.slice(0, at), merged, ...rest.slice(at)], before, after: merged };
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.change(actor, `policy ${id} deleted`, 'sla-policy.deleted', id, (list) => {
      const before = list.find((p) => p.id === id);
      if (!before) throw new GatewayError('SLA_POLICY_NOT_FOUND', `no SLA policy ${id}`);
      return { list: list.filter((p) => p.id !== id), before, after: undefined };
    });
  }

  async versions(limit = 100): Promise<SlaPolicyVersionView[]> {
    return (await listSlaPolicyVersions(this.deps.db.read, limit)).map((v) => ({ version: v.version, author: v.author, change: v.change, createdAt: v.createdAt.toISOString() }));
  }

  async versionOf(version: number): Promise<SlaPolicyVersionView & { items: SlaPolicy[] }> {
    const row = await slaPolicyVersion(this.deps.db.read, version);
    if (!row) throw new GatewayError('VERSION_NOT_FOUND', `no version ${version} of the SLA policies`);
    return { version: row.version, author: row.author, change: row.change, createdAt: row.createdAt.toISOString(), items: JSON.parse(row.policies) as SlaPolicy[] };
  }

  /** Puts an earlier version's policies in force again, as a new version. */
  async restore(actor: Actor, version: number): Promise<{ version: number; items: SlaPolicy[] }> {
    const old = await this.versionOf(version);
    await this.change(actor, `version ${version} restored`, 'sla-policies.restored', `sla-policies:${version}`, () => ({ list: old.items, before: undefined, after: { version } }));
    return this.list();
  }

  /** Which policy a case with these facts falls under and when its promises fall due; `draft` tries a list of policies instead of those in force. */
  async simulate(req: SlaSimulationRequest, draft?: SlaPolicyInput[]) {
    let policies: readonly SlaPolicy[] = this.policies;
    if (draft) {
      policies = draft.map((p, i) => normalized(`draft-${i + 1}`, p));
      const problems = await this.problems(policies);
      if (problems.length > 0) throw new GatewayError('INVALID_SLA_POLICY', `${problems[0]!.path}: ${problems[0]!.message}`, problems.slice(0, 100));
    }
    return simulateSla(this.deps.db.read, policies, req);
  }

  /** Checks a list of policies against what exists now; problems carry their path. */
  async problems(list: readonly SlaPolicy[], x: Executor = this.deps.db.read): Promise<SlaPolicyProblem[]> {
    // one after another: `x` may be a transaction, one connection running one statement at a time
    const calendars = await listCalendars(x);
    const queues = await queueNames(x);
    const agents = await agentIds(x);
    return checkSlaPolicies(list, {
      calendarIds: new Set(calendars.map((c) => c.id)),
      queues: new Set(queues.map((q) => q.toLowerCase())),
      agentIds: new Set(agents),
    });
  }

  private async change(
    actor: Actor,
    change: string,
    action: string,
    target: string,
    edit: (list: SlaPolicy[]) => { list: SlaPolicy[]; before: unknown; after: unknown },
  ): Promise<void> {
    const now = this.deps.now();
    const version = await this.deps.db.transaction(async (tx) => {
      const latest = await latestSlaPolicies(tx);
      const current = latest ? (JSON.parse(latest.policies) as SlaPolicy[]) : [];
      const next = edit(current);
      const problems = await this.problems(next.list, tx);
      if (problems.length > 0) {
        const first = problems[0]!;
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
        throw new GatewayError('INVALID_SLA_POLICY', `${first.path}: ${first.message}${more}; the policies in force are unchanged`, problems.slice(0, 100));
      }
      const v = await insertSlaPolicyVersion(tx, { policies: JSON.stringify(next.list), author: actorName(actor), change }, now);
      await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action, target: target.startsWith('sla-') ? target : `sla-policy:${target}`, before: next.before, after: next.after }, now);
      return v;
    });
    await this.readNewest();
    this.deps.events.emit({ type: 'sla.changed', caseId: null, version });
  }

  private async readNewest(): Promise<void> {
    const row = await latestSlaPolicies(this.deps.db.read);
    if (!row || row.version <= (this.active?.version ?? 0)) return;
    this.active = { version: row.version, author: row.author, change: row.change, createdAt: row.createdAt.toISOString(), policies: JSON.parse(row.policies) as SlaPolicy[] };
  }
}
