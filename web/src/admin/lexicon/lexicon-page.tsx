/**
 * #/admin/lexicon: the words that score a message's category and urgency, edited as a draft; "Preview
 * impact" replays stored messages with the draft lexicon, "Review and save" saves it as one version.
 */
import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import type { SectionProps } from '../admin-app.tsx';
import { ConfirmDialog } from '../rules/confirm-dialog.tsx';
import { DraftBar } from '../rules/draft-bar.tsx';
import { canonical } from '../rules/rule-diff.ts';
import { ReplayPanel } from '../rules/replay-panel.tsx';
import { ReviewDialog } from '../rules/review-dialog.tsx';
import { rulesApi } from '../rules/rules-api.ts';
import type { RuleDocument } from '../rules/rules-types.ts';
import { useLeaveWarning } from '../rules/use-leave-warning.ts';
import { VersionLine } from '../rules/version-line.tsx';
import { useAgentNames } from '../rules/use-agent-names.ts';
import { diffLexicon } from './lexicon-diff.ts';
import { LexiconDiffView } from './lexicon-diff-view.tsx';
import { LexiconEditor } from './lexicon-editor.tsx';
import { useLexiconDraft } from './use-lexicon-draft.ts';
import '../rules/rules.css';
import './lexicon.css';

export function LexiconPage({ session, readOnly }: SectionProps) {
  const [doc, setDoc] = useState<RuleDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async (): Promise<RuleDocument | null> => {
    try {
      const d = await rulesApi.document();
      setDoc(d);
      setError(null);
      return d;
    } catch (e) {
      setError(errorMessage(e));
      return null;
    }
  }, []);
  useEffect(() => { void reload(); }, [reload]);
  if (!doc) {
    return (
      <div class="rules-page">
        <h1>Lexicon</h1>
        {error ? <p class="form-error" role="alert">{error}</p> : <p role="status">Loading the lexicon…</p>}
      </div>
    );
  }
  return <LexiconWorkspace doc={doc} csrf={session.csrfToken} readOnly={readOnly} reload={reload} adopt={setDoc} />;
}

interface Props {
  doc: RuleDocument;
  csrf: string;
  readOnly: boolean;
  reload(): Promise<RuleDocument | null>;
  adopt(doc: RuleDocument): void;
}

function LexiconWorkspace({ doc, csrf, readOnly, reload, adopt }: Props) {
  const draft = useLexiconDraft(doc.lexicon);
  const [dialog, setDialog] = useState<'review' | 'discard' | null>(null);
  const [said, say] = useState('');
  const titleId = useId();
  const nameOf = useAgentNames();
  useLeaveWarning(draft.dirty);

  return (
    <div class="rules-page lexicon-page">
      <div class="page-head">
        <h1>Lexicon</h1>
        <VersionLine doc={doc} nameOf={nameOf} />
        <p class="muted">
          Each category’s words and phrases (matched on word stems, small words ignored) add their weight to its score; the highest score
          at or above the minimum names the message’s category, which rules route on. Urgency words raise the urgency score.
        </p>
      </div>
      <p class="visually-hidden" role="status">{said}</p>
      {!readOnly && (
        <>
          <DraftBar dirty={draft.dirty} onReview={() => setDialog('review')} onDiscard={() => setDialog('discard')} />
          <ReplayPanel draft={{ lexicon: draft.lexicon }} draftKey={canonical(draft.lexicon)} liveVersion={doc.version} csrf={csrf} />
        </>
      )}
      <section class="panel" aria-labelledby={titleId}>
        <h2 id={titleId} class="panel-title">{readOnly ? 'Lexicon' : 'Lexicon in the draft'}</h2>
        <LexiconEditor edit={draft.edit} readOnly={readOnly} change={draft.change} say={say} />
      </section>
      {dialog === 'discard' && (
        <ConfirmDialog title="Discard the draft?" confirm="Discard changes" onClose={() => setDialog(null)}
          onConfirm={() => { draft.discard(); setDialog(null); say('Draft discarded'); }}>
          <p>Every unsaved change to the lexicon is lost.</p>
        </ConfirmDialog>
      )}
      {dialog === 'review' && (
        <ReviewDialog
          title="Review and save the lexicon"
          baseVersion={doc.version}
          onClose={() => setDialog(null)}
          onRefresh={async () => {
            const newer = await reload();
            if (newer) draft.rebase(newer.lexicon);
          }}
          save={async () => {
            const saved = await rulesApi.saveParts({ lexicon: draft.lexicon }, doc.version, csrf);
            draft.discard();
            adopt(saved);
            setDialog(null);
            say(`Saved as version ${saved.version}`);
          }}
        >
          <LexiconDiffView diff={diffLexicon(doc.lexicon, draft.lexicon)} />
        </ReviewDialog>
      )}
    </div>
  );
}
