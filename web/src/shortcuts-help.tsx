/** `?`: the keyboard shortcuts, in a dialog. */
import { Modal } from './modal.tsx';

export const SHORTCUTS: [string, string][] = [
  ['j / k', 'Move down / up the case list'],
  ['Enter', 'Open the selected case'],
  ['r', 'Reply to the customer'],
  ['n', 'Write an internal note'],
  ['e', 'Resolve the open case'],
  ['a', 'Assign the open case (supervisors) or claim it'],
  ['/', 'Search'],
  ['Ctrl+K or ⌘+K', 'Command palette'],
  ['Ctrl+Enter or ⌘+Enter', 'Send the reply'],
  ['/ or :: in the reply', 'Insert a canned response'],
  ['?', 'This list'],
  ['Escape', 'Close a dialog'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" class="shortcuts" onClose={onClose}>
      <dl class="shortcut-list">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>{keys.split(/( \/ | or )/).map((k, i) => (i % 2 ? <span key={i}>{k}</span> : <kbd key={i}>{k}</kbd>))}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div class="form-actions">
        <button type="button" class="btn" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
