import type { Db } from '../../store/db.ts';
import { isUniqueViolation } from '../../store/db.ts';
import { countSavedViews, deleteSavedView, insertSavedView, listSavedViews, type SavedViewRow } from '../../store/saved-view.repository.ts';
import type { Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import type { SavedView, SavedViewFilterValues } from '../schemas/saved-view.schema.ts';

/** Enough for any inbox; a bound so one agent cannot grow the table without end. */
const MAX_VIEWS_PER_AGENT = 50;

/** Each agent's own inbox views: a name for a set of the case list's filters, kept on the server so every browser has them. */
export class SavedViewService {
  constructor(private readonly deps: { db: Db; now: () => Date }) {}

  async list(actor: Actor): Promise<SavedView[]> {
    return (await listSavedViews(this.deps.db.read, agentOf(actor))).map(toView);
  }

  async create(actor: Actor, input: { name: string; filters: SavedViewFilterValues }): Promise<SavedView> {
    const agentId = agentOf(actor);
    const name = input.name.trim();
    if (!name) throw new GatewayError('VALIDATION_FAILED', 'name is empty');
    // only the filters that say something: an empty search or tag is no filter
    const filters = Object.fromEntries(Object.entries(input.filters).filter(([, v]) => v !== undefined && v !== ''));
    try {
      return toView(
        await this.deps.db.transaction(async (tx) => {
          if ((await countSavedViews(tx, agentId)) >= MAX_VIEWS_PER_AGENT) throw new GatewayError('CONFLICT', `an agent keeps at most ${MAX_VIEWS_PER_AGENT} views; delete one first`);
          return insertSavedView(tx, { agentId, name, filters: JSON.stringify(filters) }, this.deps.now());
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new GatewayError('SAVED_VIEW_EXISTS', `you already have a view named "${name}"`);
      throw err;
    }
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const gone = await this.deps.db.transaction((tx) => deleteSavedView(tx, agentOf(actor), id));
    if (!gone) throw new GatewayError('NOT_FOUND', `you have no saved view ${id}`);
  }
}

function agentOf(actor: Actor): string {
  if (!actor.agentId) throw new GatewayError('NOT_AN_AGENT', 'saved views belong to an agent; this token belongs to none');
  return actor.agentId;
}

function toView(r: SavedViewRow): SavedView {
  let filters: SavedViewFilterValues = {};
  try {
    filters = JSON.parse(r.filters) as SavedViewFilterValues;
  } catch {
    // a row written by hand: shown without filters rather than not at all
  }
  return { id: r.id, name: r.name, filters, createdAt: r.createdAt.toISOString() };
}
