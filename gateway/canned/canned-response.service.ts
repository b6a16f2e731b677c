import type { Db } from '../../store/db.ts';
import { isUniqueViolation } from '../../store/db.ts';
import {
  cannedResponseById, deleteCannedResponse, insertCannedResponse, listCannedResponses, updateCannedResponse,
  type CannedResponseFields, type CannedResponseView,
} from '../../store/canned-response.repository.ts';
import { queueByName } from '../../store/directory.repository.ts';
import type { Executor } from '../../store/executor.ts';
import { roleAtLeast, type Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';

export interface CannedResponseInput {
  shortcut?: string;
  title?: string;
  text?: string;
  shared?: boolean;
  queue?: string | null;
}

/**
 * Canned responses: each agent keeps their own, admins keep the team's shared ones. Placeholders in the
 * text (`{{contact.firstName}}`, …) are filled where the answer is written, in the workspace.
 */
export class CannedResponseService {
  constructor(private readonly deps: { db: Db; now: () => Date }) {}

  async list(actor: Actor, queue?: string): Promise<CannedResponseView[]> {
    const x = this.deps.db.read;
    const queueId = queue ? (await queueByName(x, queue))?.id : undefined;
    if (queue && !queueId) throw new GatewayError('QUEUE_NOT_FOUND', `no queue named "${queue}"`);
    return listCannedResponses(x, { ownerId: actor.agentId, ...(queueId ? { queueId } : {}) });
  }

  async create(actor: Actor, input: CannedResponseInput & { shortcut: string; title: string; text: string }): Promise<CannedResponseView> {
    const ownerId = this.ownerFor(actor, input.shared === true);
    const now = this.deps.now();
    return this.unique(input.shortcut, () =>
      this.deps.db.transaction(async (tx) => {
        const fields = await this.fields(tx, input);
        const id = await insertCannedResponse(tx, { shortcut: input.shortcut, title: input.title, text: input.text, queueId: fields.queueId ?? null, ownerId }, now);
        return (await cannedResponseById(tx, id))!;
      }),
    );
  }

  async update(actor: Actor, id: string, input: CannedResponseInput): Promise<CannedResponseView> {
    if (input.shared !== undefined) throw new GatewayError('BAD_REQUEST', 'a canned response stays personal or shared: make a new one instead');
    const now = this.deps.now();
    return this.unique(input.shortcut ?? '', () =>
      this.deps.db.transaction(async (tx) => {
        await this.mayChange(tx, actor, id);
        await updateCannedResponse(tx, id, await this.fields(tx, input), now);
        return (await cannedResponseById(tx, id))!;
      }),
    );
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await this.mayChange(tx, actor, id);
      await deleteCannedResponse(tx, id);
    });
  }

  /** Whose a new response is: the team's (admins only) or the caller's own (an agent's). */
  private ownerFor(actor: Actor, shared: boolean): string | null {
    if (shared) {
      if (!roleAtLeast(actor.role, 'admin')) throw new GatewayError('FORBIDDEN', 'only admins keep shared canned responses');
      return null;
    }
    if (!actor.agentId) throw new GatewayError('NOT_AN_AGENT', 'a token of no agent keeps no canned responses of its own: share it (shared: true)');
    return actor.agentId;
  }

  /** One's own may be changed by oneself, shared ones by admins; another agent's is not even seen. */
  private async mayChange(tx: Executor, actor: Actor, id: string): Promise<void> {
    const found = await cannedResponseById(tx, id);
    if (!found || (!found.shared && found.ownerId !== actor.agentId)) throw new GatewayError('CANNED_RESPONSE_NOT_FOUND', `no canned response ${id}`);
    if (found.shared && !roleAtLeast(actor.role, 'admin')) throw new GatewayError('FORBIDDEN', 'only admins change shared canned responses');
  }

  private async fields(tx: Executor, input: CannedResponseInput): Promise<CannedResponseFields> {
    const fields: CannedResponseFields = {
      ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.text !== undefined ? { text: input.text } : {}),
    };
    if (input.queue === null) fields.queueId = null;
    else if (input.queue !== undefined) {
      const q = await queueByName(tx, input.queue);
      if (!q) throw new GatewayError('QUEUE_NOT_FOUND', `no queue named "${input.queue}"`);
      fields.queueId = q.id;
    }
    return fields;
  }

  private async unique<T>(shortcut: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isUniqueViolation(err)) throw new GatewayError('CONFLICT', `the shortcut "${shortcut}" is taken: pick another`);
      throw err;
    }
  }
}
