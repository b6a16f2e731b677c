/**
 * Bitext's customer-support requests (text/bitext-customer-support-dev/bitext_dev.csv): each row's request
 * text, category and intent. Read by the measuring and the training scripts.
 */
import { readFileSync } from 'node:fs';

export interface BitextRow {
  text: string;
  category: string;
  intent: string;
}

export function bitextRows(file: string): BitextRow[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => header!.indexOf(name);
  const [text, category, intent] = [col('instruction'), col('category'), col('intent')];
  return rows.map((row) => ({ text: row[text]!, category: row[category]!, intent: row[intent]! }));
}

/** RFC 4180 enough for the Bitext file: quoted fields with "" escapes, CRLF lines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

