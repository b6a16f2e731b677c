/**
 * A refusal turned into messages at the fields it names. The shared request() keeps only the message, so
 * the paths come from it: schema problems read "body/<field>… <message>" and the services' own checks
 * "<field>[…]…: <message>", several joined by "; ".
 */
import { ApiError, errorMessage } from '../../api-client.ts';

export interface FormErrors {
  /** by the API's top-level field name */
  fields: Record<string, string>;
  /** what no field of the form explains */
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

const SCHEMA = /^body\/([A-Za-z]+)((?:\/\S*)?) (.+)$/u;
const CHECK = /^(?:policies\[\d+\]\.)?([A-Za-z]+)((?:[[.]\S*)?): (.+)$/u;

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "/1/name" or "[0].actions[1]" → "#2 › name" / "#1 › actions #2": items counted from 1, as people count */
function place(path: string): string {
  return path
    .replace(/^[/.]/u, '')
    .replace(/\[(\d+)\]/gu, '/$1')
    .split(/[/.]/u)
    .filter(Boolean)
    .map((seg) => (/^\d+$/u.test(seg) ? `#${Number(seg) + 1}` : seg))
    .join(' › ');
}

/** the validator's "must match <regex>" says nothing to a person */
function plain(message: string): string {
  return message.replace(/^must match \S+$/u, 'is not in the expected form');
}

/** what the services add after the problem, which is no problem of its own */
const AFTERWORDS = /^the policies in force are unchanged$/u;

/** `hints`: where a message with no path belongs, by what it says ("… is not an IANA time zone" → timeZone) */
export function formErrors(e: unknown, known: readonly string[], hints: Record<string, RegExp> = {}): FormErrors {
  if (!(e instanceof ApiError) || e.status !== 400) return { fields: {}, form: errorMessage(e) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  // "(and 2 more)" and "; the policies in force are unchanged" trail the services' messages
  for (const part of e.message.split('; ')) {
    const m = SCHEMA.exec(part) ?? CHECK.exec(part);
    const field = m?.[1];
    if (m && field && known.includes(field)) {
      const where = m[2] ? `${place(m[2])}: ` : '';
      const text = `${where}${sentence(plain(m[3]!))}`;
      fields[field] = fields[field] ? `${fields[field]}; ${text}` : text;
    } else if (part.trim() && !AFTERWORDS.test(part.trim())) {
      const hinted = Object.entries(hints).find(([, re]) => re.test(part))?.[0];
      if (hinted) fields[hinted] = fields[hinted] ? `${fields[hinted]}; ${sentence(part)}` : sentence(part);
      else rest.push(part);
    }
  }
  const form = rest.length ? sentence(rest.join('; ')) : Object.keys(fields).length ? null : e.message;
  return { fields, form };
}
