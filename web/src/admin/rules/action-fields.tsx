/** What a matching rule does: queue, priority, category, tags, skills, an auto-reply. */
import { PRIORITY_LABELS } from '../../format.ts';
import { GroupProblem, SelectControl, TextControl } from './form-controls.tsx';
import type { ProblemsByField } from './field-problems.ts';
import type { RuleForm } from './rule-form.ts';

export const ACTION_FIELDS = ['then', 'then.queue', 'then.priority', 'then.category', 'then.tags', 'then.requiredSkills', 'then.autoReplyTemplate'] as const;

interface Props {
  form: RuleForm;
  set(patch: Partial<RuleForm>): void;
  problems: ProblemsByField;
  queues: readonly string[];
  categories: readonly string[];
  templates: Record<string, string>;
}

/** keeps a value the lists no longer hold (a queue renamed since) choosable, so opening a rule never changes it */
const withCurrent = (names: readonly string[], current: string): string[] => (current && !names.includes(current) ? [...names, current] : [...names]);

export function ActionFields({ form: f, set, problems: p, queues, categories, templates }: Props) {
  const at = (...keys: string[]) => keys.flatMap((k) => p.get(k) ?? []);
  const template = f.template ? templates[f.template] : undefined;
  return (
    <fieldset class="editor-group">
      <legend>Actions (the first matching rule to set queue, priority, category or auto-reply wins it; tags and skills add up)</legend>
      <GroupProblem messages={at('then')} />
      <div class="editor-row">
        <SelectControl label="Queue" value={f.queue} onChange={(queue) => set({ queue })} problems={at('then.queue')}
          options={[['', 'Leave the queue to later rules'], ...withCurrent(queues, f.queue).map((q) => [q, q] as const)]} />
        <SelectControl label="Priority" value={f.priority} onChange={(priority) => set({ priority })} problems={at('then.priority')}
          options={[['', 'Leave the priority as scored'], ...[1, 2, 3, 4].map((n) => [String(n), `P${n} ${PRIORITY_LABELS[n]}`] as const)]} />
        <SelectControl label="Set category" value={f.setCategory} onChange={(setCategory) => set({ setCategory })} problems={at('then.category')}
          options={[['', 'Keep the scored category'], ...withCurrent(categories, f.setCategory).map((c) => [c, c] as const)]} />
      </div>
      <div class="editor-row">
        <TextControl label="Add tags" value={f.tags} onInput={(tags) => set({ tags })} problems={at('then.tags')} hint="Comma-separated" />
        <TextControl label="Require skills" value={f.skills} onInput={(skills) => set({ skills })} problems={at('then.requiredSkills')}
          hint="Comma-separated; only agents with every skill are offered the case" />
      </div>
      <SelectControl label="Auto-reply template" value={f.template} onChange={(t) => set({ template: t })} problems={at('then.autoReplyTemplate')}
        options={[['', 'No auto-reply'], ...withCurrent(Object.keys(templates), f.template).map((t) => [t, t] as const)]}
        hint="Sent to the customer when the message opens a case." />
      {template && <blockquote class="template-preview" aria-label="Template text">{template}</blockquote>}
    </fieldset>
  );
}
