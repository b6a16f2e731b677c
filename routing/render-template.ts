/** Fills `{{name}}` placeholders of an auto-reply template; unknown placeholders become empty. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (Object.hasOwn(vars, key) ? vars[key]! : ''));
}
