/** The suggestions the composer shows over the reply box (canned responses, agents to mention): a listbox the box drives. */

export interface SuggestOption {
  key: string;
  label: string;
  detail?: string;
}

interface Props {
  id: string;
  /** the listbox's name */
  label: string;
  /** said when nothing matches */
  empty: string;
  items: SuggestOption[];
  active: number;
  onPick(i: number): void;
  onHover(i: number): void;
}

export const optionId = (listId: string, i: number) => `${listId}-opt-${i}`;

export function SuggestList({ id, label, empty, items, active, onPick, onHover }: Props) {
  return (
    <ul id={id} class="suggest" role="listbox" aria-label={label}>
      {items.length === 0 && <li class="suggest-none" role="option" aria-disabled="true" aria-selected="false">{empty}</li>}
      {items.map((o, i) => (
        <li
          key={o.key}
          id={optionId(id, i)}
          role="option"
          aria-selected={i === active}
          class={`suggest-option${i === active ? ' active' : ''}`}
          // keep the focus in the reply box
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(i)}
          onMouseMove={() => { if (i !== active) onHover(i); }}
        >
          <span class="suggest-label">{o.label}</span>{o.detail && <> <span class="suggest-detail">{o.detail}</span></>}
        </li>
      ))}
    </ul>
  );
}
