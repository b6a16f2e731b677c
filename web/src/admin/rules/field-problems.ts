/** Which field a refusal names: each problem goes to the field whose path is the longest prefix of its own. */
import type { RuleProblem } from './rules-types.ts';

export type ProblemsByField = Map<string, string[]>;

const covers = (key: string, path: string): boolean => path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);

/** `fields`: the paths the form shows; problems no field covers are filed under "" */
export function fileProblems(problems: readonly RuleProblem[], fields: readonly string[]): ProblemsByField {
  const out: ProblemsByField = new Map();
  for (const p of problems) {
    const key = fields.filter((k) => covers(k, p.path)).sort((a, b) => b.length - a.length)[0] ?? '';
    const text = key === '' || key !== p.path ? `${p.path === '$' ? 'The rule' : p.path}: ${p.message}` : p.message;
    out.set(key, [...(out.get(key) ?? []), key === '' ? text : p.message]);
  }
  return out;
}

/** problems a whole-list check named for one rule, made relative to it (`rules[4].when.x` → `when.x`); the rest keep their path */
export function relativeTo(problems: readonly RuleProblem[], index: number): { own: RuleProblem[]; others: RuleProblem[] } {
  const prefix = `rules[${index}]`;
  const own: RuleProblem[] = [];
  const others: RuleProblem[] = [];
  for (const p of problems) {
    if (p.path === prefix) own.push({ ...p, path: '$' });
    else if (p.path.startsWith(`${prefix}.`)) own.push({ ...p, path: p.path.slice(prefix.length + 1) });
    else others.push(p);
  }
  return { own, others };
}
