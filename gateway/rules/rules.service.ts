import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import { queueNames } from '../../store/ops.repository.ts';
import {
  insertRuleAudit,
  insertRuleSetVersion,
  latestRuleSet,
  listRuleAudit,
  listRuleSetVersions,
  ruleSetVersion,
  type AuditEntry,
} from '../../store/rule-set.repository.ts';
import { compileRoutingConfig, evaluateRules, type CompiledRuleSet, type RoutingDecision, type RoutingInput } from '../../routing/evaluate-rules.ts';
import { formatValidationErrors, validateRoutingConfig, type ValidationError } from '../../routing/rule-schema.ts';
import { DEFAULT_ROUTING_CONFIG } from '../../routing/default-rules.ts';
import type { Rule, RoutingConfig } from '../../routing/rule.types.ts';
import { actorName, type Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import type { RoutingEngine } from '../routing-engine.ts';
import type { EventBus } from '../events.ts';
import { rerunWhileBusy } from '../rerun-while-busy.ts';
import { listCalendars } from '../../store/calendar.repository.ts';
import { isCalendarRef } from '../../routing/rule.types.ts';
import { backAtText, RoutingCalendar } from './routing-calendar.ts';

interface Active {
  version: number;
  config: RoutingConfig;
  compiled: CompiledRuleSet;
  author: string;
  createdAt: string;
}

export interface RuleSetDocument extends RoutingConfig {
  version: number;
  author: string;
  updatedAt: string;
}

export type ConfigPatch = Partial<RoutingConfig>;

/** One routing decision, by a given rule set, for one message. */
export type Decide = (input: RoutingInput) => RoutingDecision;

export interface RulePatch {
  name?: string | null;
  enabled?: boolean;
  when?: Rule['when'];
  then?: Rule['then'];
  position?: number;
}

export interface RulesServiceDeps {
  db: Db;
  now: () => Date;
  log: FastifyBaseLogger;
  /** tells other instances of a new version, and hears theirs */
  events: EventBus;
}

/**
 * For a change to one rule, problems inside that rule are reported relative to it ("when.sentiment.below"),
 * as the admin wrote it; problems elsewhere (another rule, the lexicon) keep their full path.
 */
function refuse(all: ValidationError[], focus?: number): never {
  const prefix = focus === undefined ? null : `rules[${focus}]`;
  const errors = all.map((e) =>
    prefix && (e.path === prefix || e.path.startsWith(`${prefix}.`)) ? { ...e, path: e.path === prefix ? '$' : e.path.slice(prefix.length + 1) } : e,
  );
  const first = formatValidationErrors(errors.slice(0, 1));
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  throw new GatewayError('INVALID_RULES', `${first}${more}; the running rules are unchanged`, errors.slice(0, 100));
}

/** Where a new rule goes when no position is given: before the first catch-all queue rule, else last. */
function defaultPosition(rules: readonly Rule[]): number {
  const i = rules.findIndex((r) => r.enabled !== false && Object.keys(r.when).length === 0 && r.then.queue !== undefined);
  return i === -1 ? rules.length : i;
}

function clampPosition(p: number | undefined, length: number, fallback: number): number {
  return p === undefined ? fallback : Math.max(0, Math.min(p, length));
}

/**
 * The routing configuration in force, its versions and audit trail. Every change is validated (with the
 * exact path of each problem), compiled and stored as a new version in one transaction; only then is the
 * compiled set swapped in, so messages are routed by the new rules at once and a refused change leaves
 * the running rules exactly as they were.
 */
export class RulesService implements RoutingEngine {
  private active!: Active;

  /** the calendar the rules' business hours name, if they name one */
  private readonly calendar: RoutingCalendar;

  constructor(private readonly deps: RulesServiceDeps) {
    this.calendar = new RoutingCalendar({ db: deps.db, now: deps.now });
    deps.events.on((e, source) => {
      if (source === 'remote' && ((e.type === 'rules.changed' && e.version > this.active?.version) || e.type === 'events.missed')) void this.refresh();
    });
  }

  /** Loads the newest version; on a first start, seeds the default configuration as version 1. */
  async load(): Promise<void> {
    const stored = await this.readNewest();
    if (stored) {
      this.active = stored;
      return;
    }
    const now = this.deps.now();
    const config = structuredClone(DEFAULT_ROUTING_CONFIG);
    const version = await this.deps.db.transaction(async (tx) => {
      // another process may have seeded in between
      const again = await latestRuleSet(tx);
      if (again) return again.version;
      const v = await insertRuleSetVersion(tx, config, 'system', 'default rules, lexicon and templates', now);
      await insertRuleAudit(tx, { version: v, actor: 'system', actorRole: 'system', action: 'config.seeded', after: { rules: config.rules.length } }, now);
      return v;
    });
    const seeded = (await ruleSetVersion(this.deps.db.read, version))!;
    this.active = { version, config: seeded.config, compiled: compileRoutingConfig(seeded.config), author: seeded.author, createdAt: seeded.createdAt };
  }

  /** Takes up a version stored by another instance; a read that lost the race to a newer one changes nothing. */
  private readonly refresh = rerunWhileBusy(
    async () => {
      const stored = await this.readNewest();
      if (stored && stored.version > this.active.version) {
        this.active = stored;
        this.deps.log.info({ version: stored.version }, 'routing rules changed on another instance');
      }
    },
    (err) => this.deps.log.error({ err }, 'routing rules changed on another instance could not be read; the next change tries again'),
  );

  /** The newest stored version, compiled; null when none is stored yet. */
  private async readNewest(): Promise<Active | null> {
    const stored = await latestRuleSet(this.deps.db.read);
    if (!stored) return null;
    const queues = await queueNames(this.deps.db.read);
    await this.calendar.load(isCalendarRef(stored.config.businessHours) ? stored.config.businessHours : null);
    const checked = validateRoutingConfig(stored.config, { queues, calendars: (await listCalendars(this.deps.db.read)).map((c) => c.id) });
    if (checked.ok) {
      return { version: stored.version, config: checked.config, compiled: compileRoutingConfig(checked.config), author: stored.author, createdAt: stored.createdAt };
    }
    // A queue renamed after the rules were written, for instance: a rule naming it routes to General.
    this.deps.log.error({ version: stored.version, problems: checked.errors.slice(0, 5) }, 'stored routing rules do not validate any more; fix them through the rules API');
    let compiled: CompiledRuleSet;
    try {
      compiled = compileRoutingConfig(stored.config);
    } catch (err) {
      this.deps.log.error({ err, version: stored.version }, 'stored routing rules do not compile; routing by the default rules until they are fixed');
      compiled = compileRoutingConfig(DEFAULT_ROUTING_CONFIG);
    }
    return { version: stored.version, config: stored.config, compiled, author: stored.author, createdAt: stored.createdAt };
  }

  document(): RuleSetDocument {
    const { version, config, author, createdAt } = this.active;
    return { version, ...structuredClone(config), author, updatedAt: createdAt };
  }

  rule(id: string): { version: number; position: number; rule: Rule } {
    const position = this.active.config.rules.findIndex((r) => r.id === id);
    if (position === -1) throw new GatewayError('RULE_NOT_FOUND', `no rule "${id}"`);
    return { version: this.active.version, position, rule: structuredClone(this.active.config.rules[position]!) };
  }

  /** The live decision for a message, by the rules in force right now. */
  route(input: RoutingInput): RoutingDecision & { version: number; autoReplyText?: string; backAt?: string } {
    const { compiled, config, version } = this.active;
    const calendar = this.calendar.get(isCalendarRef(config.businessHours) ? config.businessHours : null);
    const decision = evaluateRules(calendar ? { ...input, calendar } : input, compiled);
    const autoReplyText = decision.autoReplyTemplate ? config.templates[decision.autoReplyTemplate] : undefined;
    const backAt = decision.reopensAt && calendar ? backAtText(decision.reopensAt, calendar.timeZone) : undefined;
    return { ...decision, version, ...(autoReplyText !== undefined ? { autoReplyText } : {}), ...(backAt ? { backAt } : {}) };
  }

  /**
   * The live rules and a draft (the parts given replace the live ones), each as a decision that stores
   * nothing: for replaying stored messages through both. A draft that does not validate is refused as a
   * change would be (400 INVALID_RULES with every problem's path).
   */
  async draftRouting(patch: ConfigPatch): Promise<{ live: Decide; draft: Decide; liveVersion: number }> {
    const { config: liveConfig, compiled: liveCompiled, version } = this.active;
    const checked = validateRoutingConfig({ ...structuredClone(liveConfig), ...structuredClone(patch) }, {
      queues: await queueNames(this.deps.db.read),
      calendars: (await listCalendars(this.deps.db.read)).map((c) => c.id),
    });
    if (!checked.ok) refuse(checked.errors);
    let compiled: CompiledRuleSet;
    try {
      compiled = compileRoutingConfig(checked.config);
    } catch (err) {
      throw new GatewayError('INVALID_RULES', `${(err as Error).message}; nothing was replayed`);
    }
    const decide = async (config: RoutingConfig, set: CompiledRuleSet): Promise<Decide> => {
      const ref = isCalendarRef(config.businessHours) ? config.businessHours : null;
      // a calendar of its own: the draft may name another than the live rules
      const holder = new RoutingCalendar({ db: this.deps.db, now: this.deps.now });
      await holder.load(ref);
      const calendar = holder.get(ref);
      return (input) => evaluateRules(calendar ? { ...input, calendar } : input, set);
    };
    return { live: await decide(liveConfig, liveCompiled), draft: await decide(checked.config, compiled), liveVersion: version };
  }

  async versions(opts: { limit: number; before?: number }) {
    return listRuleSetVersions(this.deps.db.read, opts);
  }

  async getVersion(version: number): Promise<RuleSetDocument> {
    const stored = await ruleSetVersion(this.deps.db.read, version);
    if (!stored) throw new GatewayError('VERSION_NOT_FOUND', `no rule set version ${version}`);
    return { version: stored.version, ...stored.config, author: stored.author, updatedAt: stored.createdAt };
  }

  async audit(opts: { limit: number; before?: number; target?: string }) {
    return listRuleAudit(this.deps.db.read, opts);
  }

  async createRule(actor: Actor, body: Rule & { position?: number }, expectedVersion?: number) {
    const { position: wanted, ...rule } = body;
    return this.change(actor, expectedVersion, (config) => {
      if (config.rules.some((r) => r.id === rule.id)) throw new GatewayError('RULE_EXISTS', `a rule "${rule.id}" already exists`);
      const position = clampPosition(wanted, config.rules.length, defaultPosition(config.rules));
      const rules = [...config.rules];
      rules.splice(position, 0, rule);
      return {
        config: { ...config, rules },
        audit: { action: 'rule.created', target: rule.id, after: { position, rule } },
        change: `rule ${rule.id} created at position ${position}`,
        result: (version: number) => ({ version, position, rule }),
        focus: position,
      };
    });
  }

  async updateRule(actor: Actor, id: string, patch: RulePatch, expectedVersion?: number) {
    return this.change(actor, expectedVersion, (config) => {
      const from = config.rules.findIndex((r) => r.id === id);
      if (from === -1) throw new GatewayError('RULE_NOT_FOUND', `no rule "${id}"`);
      const before = config.rules[from]!;
      const { position: wanted, ...fields } = patch;
      const rule: Rule = { ...before };
      if (fields.name === null) delete rule.name;
      else if (fields.name !== undefined) rule.name = fields.name;
      if (fields.enabled !== undefined) rule.enabled = fields.enabled;
      if (fields.when !== undefined) rule.when = fields.when;
      if (fields.then !== undefined) rule.then = fields.then;
      const rules = config.rules.filter((_, i) => i !== from);
      const position = clampPosition(wanted, rules.length, from);
      rules.splice(position, 0, rule);
      return {
        config: { ...config, rules },
        audit: { action: 'rule.updated', target: id, before: { position: from, rule: before }, after: { position, rule } },
        change: `rule ${id} updated`,
        result: (version: number) => ({ version, position, rule }),
        focus: position,
      };
    });
  }

  async deleteRule(actor: Actor, id: string, expectedVersion?: number) {
    return this.change(actor, expectedVersion, (config) => {
      const at = config.rules.findIndex((r) => r.id === id);
      if (at === -1) throw new GatewayError('RULE_NOT_FOUND', `no rule "${id}"`);
      return {
        config: { ...config, rules: config.rules.filter((r) => r.id !== id) },
        audit: { action: 'rule.deleted', target: id, before: { position: at, rule: config.rules[at] } },
        change: `rule ${id} deleted`,
        result: (version: number) => ({ version }),
      };
    });
  }

  /** Replaces the parts given (rules, lexicon, templates, business hours) as one new version. */
  async patchConfig(actor: Actor, patch: ConfigPatch, expectedVersion?: number) {
    const parts = Object.keys(patch).sort();
    return this.change(actor, expectedVersion, (config) => {
      const before: Record<string, unknown> = {};
      for (const k of parts) before[k] = config[k as keyof RoutingConfig];
      return {
        config: { ...config, ...patch },
        audit: { action: 'config.updated', target: parts.join(','), before, after: patch },
        change: `${parts.join(', ')} replaced`,
        result: () => this.document(),
      };
    });
  }

  /** Makes an earlier version the one in force again, as a new version (history is never rewritten). */
  async restore(actor: Actor, version: number, expectedVersion?: number) {
    const old = await ruleSetVersion(this.deps.db.read, version);
    if (!old) throw new GatewayError('VERSION_NOT_FOUND', `no rule set version ${version}`);
    return this.change(actor, expectedVersion, (config) => ({
      config: old.config,
      audit: { action: 'config.restored', target: `version ${version}`, before: { rules: config.rules.length }, after: { restoredVersion: version, rules: old.config.rules.length } },
      change: `restored version ${version}`,
      result: () => this.document(),
    }));
  }

  /**
   * Computes, validates, compiles and stores one change against the newest stored version, inside one
   * write transaction (so two admins' changes never overwrite each other), then swaps it in.
   */
  private async change<R>(
    actor: Actor,
    expectedVersion: number | undefined,
    apply: (config: RoutingConfig) => {
      config: RoutingConfig;
      audit: Omit<AuditEntry, 'version' | 'actor' | 'actorRole'>;
      change: string;
      result: (version: number) => R;
      /** the position of the one rule this change is about */
      focus?: number;
    },
  ): Promise<R> {
    const now = this.deps.now();
    const outcome = await this.deps.db.transaction(async (tx) => {
      const current = (await latestRuleSet(tx))!;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new GatewayError('VERSION_CONFLICT', `the rules are at version ${current.version}, not ${expectedVersion}: reload and apply your change again`);
      }
      const next = apply(structuredClone(current.config));
      const checked = validateRoutingConfig(next.config, { queues: await queueNames(tx), calendars: (await listCalendars(tx)).map((c) => c.id) });
      if (!checked.ok) refuse(checked.errors, next.focus);
      let compiled: CompiledRuleSet;
      try {
        compiled = compileRoutingConfig(checked.config);
      } catch (err) {
        throw new GatewayError('INVALID_RULES', `${(err as Error).message}; the running rules are unchanged`);
      }
      const version = await insertRuleSetVersion(tx, checked.config, actorName(actor), next.change, now);
      await insertRuleAudit(tx, { ...next.audit, version, actor: actorName(actor), actorRole: actor.role }, now);
      return { version, config: checked.config, compiled, next };
    });
    // writes are serial, but their continuations could in principle resume out of order: never go back
    await this.calendar.load(isCalendarRef(outcome.config.businessHours) ? outcome.config.businessHours : null);
    if (outcome.version > this.active.version) {
      this.active = { version: outcome.version, config: outcome.config, compiled: outcome.compiled, author: actorName(actor), createdAt: now.toISOString() };
    }
    this.deps.events.emit({ type: 'rules.changed', caseId: null, version: outcome.version });
    this.deps.log.info({ version: outcome.version, change: outcome.next.change, actor: actorName(actor) }, 'routing rules changed');
    return outcome.next.result(outcome.version);
  }
}
