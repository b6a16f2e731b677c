/** The suggestion list the composer shows under a trigger (`/` or `::`): a listbox the reply box drives. */
import type { CannedResponse } from './types.ts';

interface Props {
  id: string;
  items: CannedResponse[];
  active: number;
  onPick(c: CannedResponse): void;
  onHover(i: number): void;
}

export const optionId = (listId: string, i: number) => `${listId}-opt-${i}`;

export function CannedSuggest({ id, items, active, onPick, onHover }: Props) {
  return (
    <ul id={id} class="canned-suggest" role="listbox" aria-label="Canned responses">
      {items.length === 0 && <li class="canned-none" role="option" aria-disabled="true" aria-selected="false">No canned response matches</li>}
      {items.map((c, i) => (
        <li
          key={c.id}
          id={optionId(id, i)}
          role="option"
          aria-selected={i === active}
          class={`canned-option${i === active ? ' active' : ''}`}
          // keep the focus in the reply box
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(c)}
          onMouseMove={() => { if (i !== active) onHover(i); }}
        >
          <span class="canned-title">{c.title}</span> <span class="canned-shortcut">/{c.shortcut}</span>
        </li>
      ))}
    </ul>
  );
}
