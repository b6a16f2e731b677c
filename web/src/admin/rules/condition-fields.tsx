/** The condition builder: every condition the routing engine knows, all of which must hold. */
import { channelLabel, stateLabel } from '../../format.ts';
import { CheckGroup, GroupProblem, SelectControl, TextControl, TRI_OPTIONS } from './form-controls.tsx';
import type { ProblemsByField } from './field-problems.ts';
import type { RuleForm } from './rule-form.ts';
import { RULE_CASE_STATES, RULE_CHANNELS } from './rules-types.ts';

export const CONDITION_FIELDS = [
  'when', 'when.channel', 'when.keywords', 'when.matches', 'when.matches.pattern', 'when.matches.flags', 'when.category',
  'when.sentiment', 'when.sentiment.below', 'when.sentiment.above', 'when.frustrated', 'when.urgency', 'when.urgency.atLeast', 'when.urgency.atMost',
  'when.contact', 'when.contact.tier', 'when.contact.vip', 'when.contact.emailDomain', 'when.contact.accountName', 'when.contact.known',
  'when.businessHours', 'when.case', 'when.case.isNew', 'when.case.state', 'when.case.priority', 'when.case.priority.atLeast', 'when.case.priority.atMost',
  'when.case.tags', 'when.case.inboundCount', 'when.case.inboundCount.atLeast', 'when.case.inboundCount.atMost',
] as const;

const FLAGS = [['i', 'Ignore case (i)'], ['m', 'Multi-line (m)'], ['s', 'Dot matches new lines (s)'], ['u', 'Unicode (u)']] as const;

interface Props {
  form: RuleForm;
  set(patch: Partial<RuleForm>): void;
  problems: ProblemsByField;
  categories: readonly string[];
}

export function ConditionFields({ form: f, set, problems: p, categories }: Props) {
  const at = (...keys: string[]) => keys.flatMap((k) => p.get(k) ?? []);
  return (
    <fieldset class="editor-group">
      <legend>Conditions (all must hold; none: every message)</legend>
      <GroupProblem messages={at('when')} />
      <CheckGroup legend="Channel is one of" values={f.channel} options={RULE_CHANNELS.map((c) => [c, channelLabel(c)] as const)}
        onChange={(channel) => set({ channel })} problems={at('when.channel')} />
      <TextControl label="Keywords or phrases" multiline value={f.keywords} onInput={(keywords) => set({ keywords })} problems={at('when.keywords')}
        hint="One per line (or separated by commas); any of them matches, on word stems in the subject and text." />
      <div class="editor-row">
        <TextControl label="Pattern (regular expression)" class="grow" value={f.pattern} onInput={(pattern) => set({ pattern })}
          problems={at('when.matches', 'when.matches.pattern')} hint="Searched in the subject and text; backreferences, lookarounds and nested repeats are refused." />
        <CheckGroup legend="Pattern flags" values={f.flags} options={FLAGS} onChange={(flags) => set({ flags })} problems={at('when.matches.flags')} />
      </div>
      <CheckGroup legend="Scored category is one of" values={f.category} options={categories.map((c) => [c, c] as const)}
        onChange={(category) => set({ category })} problems={at('when.category')} />
      <div class="editor-row">
        <TextControl label="Sentiment below" type="number" value={f.sentimentBelow} onInput={(sentimentBelow) => set({ sentimentBelow })}
          problems={at('when.sentiment', 'when.sentiment.below')} hint="−1 (angry) to 1 (happy)" />
        <TextControl label="Sentiment above" type="number" value={f.sentimentAbove} onInput={(sentimentAbove) => set({ sentimentAbove })}
          problems={at('when.sentiment.above')} />
        <SelectControl label="Frustrated" value={f.frustrated} options={TRI_OPTIONS} onChange={(v) => set({ frustrated: v as RuleForm['frustrated'] })}
          problems={at('when.frustrated')} />
        <TextControl label="Urgency at least" type="number" value={f.urgencyMin} onInput={(urgencyMin) => set({ urgencyMin })}
          problems={at('when.urgency', 'when.urgency.atLeast')} />
        <TextControl label="Urgency at most" type="number" value={f.urgencyMax} onInput={(urgencyMax) => set({ urgencyMax })}
          problems={at('when.urgency.atMost')} />
      </div>
      <fieldset class="editor-sub">
        <legend>The contact</legend>
        <div class="editor-row">
          <TextControl label="Account tier is one of" value={f.tier} onInput={(tier) => set({ tier })} problems={at('when.contact', 'when.contact.tier')}
            hint="Comma-separated, e.g. gold, platinum; contacts without an account are standard." />
          <SelectControl label="VIP" value={f.vip} options={TRI_OPTIONS} onChange={(v) => set({ vip: v as RuleForm['vip'] })} problems={at('when.contact.vip')} />
          <SelectControl label="Known contact" value={f.known} options={[['', 'Either'], ['yes', 'Known (has a name or account)'], ['no', 'First-time stranger']]}
            onChange={(v) => set({ known: v as RuleForm['known'] })} problems={at('when.contact.known')} />
        </div>
        <div class="editor-row">
          <TextControl label="Email domain is one of" value={f.emailDomain} onInput={(emailDomain) => set({ emailDomain })}
            problems={at('when.contact.emailDomain')} hint="Comma-separated, e.g. bigcorp.com" />
          <TextControl label="Account name is one of" value={f.accountName} onInput={(accountName) => set({ accountName })}
            problems={at('when.contact.accountName')} />
        </div>
      </fieldset>
      <SelectControl label="Business hours" value={f.businessHours} options={[['', 'Any time'], ['inside', 'Inside business hours'], ['outside', 'Outside business hours']]}
        onChange={(v) => set({ businessHours: v as RuleForm['businessHours'] })} problems={at('when.businessHours')} />
      <fieldset class="editor-sub">
        <legend>The case</legend>
        <SelectControl label="The message" value={f.isNew} options={[['', 'Opens a case or follows one up'], ['yes', 'Opens a new case'], ['no', 'Follows up an existing case']]}
          onChange={(v) => set({ isNew: v as RuleForm['isNew'] })} problems={at('when.case', 'when.case.isNew')} />
        <CheckGroup legend="Case state is one of (follow-ups)" values={f.caseState} options={RULE_CASE_STATES.map((s) => [s, stateLabel(s)] as const)}
          onChange={(caseState) => set({ caseState })} problems={at('when.case.state')} />
        <div class="editor-row">
          <TextControl label="Case priority at least" type="number" value={f.casePriorityMin} onInput={(casePriorityMin) => set({ casePriorityMin })}
            problems={at('when.case.priority', 'when.case.priority.atLeast')} hint="1 (critical) to 4 (low)" />
          <TextControl label="Case priority at most" type="number" value={f.casePriorityMax} onInput={(casePriorityMax) => set({ casePriorityMax })}
            problems={at('when.case.priority.atMost')} />
          <TextControl label="Case has a tag of" value={f.caseTags} onInput={(caseTags) => set({ caseTags })} problems={at('when.case.tags')}
            hint="Comma-separated" />
        </div>
        <div class="editor-row">
          <TextControl label="Customer messages at least" type="number" value={f.inboundMin} onInput={(inboundMin) => set({ inboundMin })}
            problems={at('when.case.inboundCount', 'when.case.inboundCount.atLeast')} hint="This message included" />
          <TextControl label="Customer messages at most" type="number" value={f.inboundMax} onInput={(inboundMax) => set({ inboundMax })}
            problems={at('when.case.inboundCount.atMost')} />
        </div>
      </fieldset>
    </fieldset>
  );
}
