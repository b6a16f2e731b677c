/** One problem a request schema found, as the validator reports it (an Ajv error). */
export interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  /** set when the problem is a property's name rather than its value */
  propertyName?: string;
}

export interface ValidationProblem {
  /** where, from the part of the request: `body/state`, `querystring/limit`, `params/number` */
  path: string;
  message: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** Keywords whose error only sums up the ones found beneath it. */
const SUMMARIES = new Set(['anyOf', 'oneOf', 'propertyNames']);

const list = (values: unknown): string => (Array.isArray(values) ? values.map(String).join(', ') : String(values));

/**
 * Every problem found, in words a client developer can act on. Of the alternatives of an `anyOf` that all
 * failed, the one the value had the right type for tells what is wrong; when none had, their types merge
 * into one "must be an object or null". The validator's own summaries ("must match a schema in anyOf") are left out.
 */
export function describeSchemaIssues(part: string, issues: readonly SchemaIssue[]): ValidationProblem[] {
  const composite = issues.some((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf');
  let specific = issues.filter((i) => !SUMMARIES.has(i.keyword));
  if (composite && specific.some((i) => i.keyword !== 'type')) specific = specific.filter((i) => i.keyword !== 'type');
  const merged: SchemaIssue[] = [];
  for (const issue of specific.length ? specific : issues) {
    const last = merged[merged.length - 1];
    if (last?.keyword === 'type' && issue.keyword === 'type' && last.instancePath === issue.instancePath) {
      merged[merged.length - 1] = { ...last, params: { type: [...typesOf(last), ...typesOf(issue)] } };
    } else {
      merged.push(issue);
    }
  }
  return merged.map((issue) => describeSchemaIssue(part, issue));
}

function typesOf(issue: SchemaIssue): string[] {
  const t = issue.params.type;
  return Array.isArray(t) ? t.map(String) : String(t).split(',');
}

/**
 * Says what is wrong in words a client developer can act on: the property, and the allowed values or
 * limit, rather than the validator's own phrasing ("must be equal to one of the allowed values").
 */
function describeSchemaIssue(part: string, issue: SchemaIssue): ValidationProblem {
  const path = `${part}${issue.instancePath}`;
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return { path: `${path}/${String(p.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path, message: `has an unknown property "${String(p.additionalProperty)}"` };
    case 'enum':
      return issue.propertyName !== undefined
        ? { path, message: `has an unknown property "${issue.propertyName}" (allowed: ${list(p.allowedValues)})` }
        : { path, message: `must be one of: ${list(p.allowedValues)}` };
    case 'type':
      return { path, message: `must be ${typesOf(issue).map((t) => TYPE_NAMES[t] ?? t).join(' or ')}` };
    case 'maximum':
      return { path, message: `must be ≤ ${String(p.limit)}` };
    case 'minimum':
      return { path, message: `must be ≥ ${String(p.limit)}` };
    case 'exclusiveMaximum':
      return { path, message: `must be < ${String(p.limit)}` };
    case 'exclusiveMinimum':
      return { path, message: `must be > ${String(p.limit)}` };
    case 'maxLength':
      return { path, message: `must be at most ${String(p.limit)} characters long` };
    case 'minLength':
      return { path, message: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long` };
    case 'maxItems':
      return { path, message: `must have at most ${String(p.limit)} items` };
    case 'minProperties':
      return { path, message: p.limit === 1 ? 'must have at least one property' : `must have at least ${String(p.limit)} properties` };
    case 'format':
      return { path, message: `must be a valid ${String(p.format)}` };
    case 'pattern':
      return { path, message: `must match ${String(p.pattern)}` };
    default:
      return { path, message: issue.message ?? 'is invalid' };
  }
}
