/** Which version is in force, who made it and when. */
import { whenLong } from '../../format.ts';
import { relativeTime } from './relative-time.ts';
import type { RuleDocument } from './rules-types.ts';
import type { NameOf } from './use-agent-names.ts';

export function VersionLine({ doc, nameOf }: { doc: RuleDocument; nameOf: NameOf }) {
  return (
    <p class="version-line">
      Version <strong>{doc.version}</strong> in force, saved by <strong>{nameOf(doc.author)}</strong>{' '}
      <time dateTime={doc.updatedAt} title={whenLong(doc.updatedAt)}>{relativeTime(doc.updatedAt)}</time>.
    </p>
  );
}
