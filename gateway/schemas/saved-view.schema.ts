import { Type, type Static } from 'typebox';
import { CaseListQuery } from './case.schema.ts';

/** What a view applies: the case list's own filters and order (the same names and meanings as GET /api/v1/cases). */
export const SavedViewFilters = Type.Pick(CaseListQuery, ['state', 'queue', 'channel', 'priority', 'assignee', 'tag', 'q', 'sort', 'sla'], { additionalProperties: false });

export const SavedViewSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    filters: SavedViewFilters,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SavedView' },
);

export const SavedViewList = Type.Object({ items: Type.Array(SavedViewSchema) });

export const SavedViewCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60, description: 'unique among the caller’s views' }),
    filters: SavedViewFilters,
  },
  { additionalProperties: false },
);

export type SavedViewFilterValues = Static<typeof SavedViewFilters>;
export type SavedView = Static<typeof SavedViewSchema>;

export const SHARED_SAVED_VIEW_SCHEMAS = [SavedViewSchema];
