/**
 * The labelled text the measuring and training scripts read: Bitext's customer-support requests
 * (text/bitext-customer-support-dev/bitext_dev.csv of the corpora: request, category, intent), VADER's rated
 * texts (`id<TAB>rating<TAB>text`) and our short messages (JSON lines), and the precision / recall / F1 they
 * are scored by.
 */
import { readFileSync } from 'node:fs';

export interface BitextRow {
  text: string;
  category: string;
  intent: string;
}

export interface SentimentRow {
  text: string;
  negative: boolean;
  /** labelled a complaint (a failure of the service the writer holds the company to), where the set says */
  complaint?: boolean;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export function bitextRows(file: string): BitextRow[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => header!.indexOf(name);
  const [text, category, intent] = [col('instruction'), col('category'), col('intent')];
  return rows.map((row) => ({ text: row[text]!, category: row[category]!, intent: row[intent]! }));
}

/** VADER's ground truth: id, mean human rating (−4…4), text; below −0.5 counts as negative */
export function vaderRows(file: string | URL): SentimentRow[] {
  return lines(file).map((l) => {
    const [, rating, ...text] = l.split('\t');
    return { text: text.join('\t'), negative: Number(rating) < -0.5 };
  });
}

/** tests/fixtures/short-messages/<name>: {text, negative, complaint} per line */
export function shortMessageRows(name: string): SentimentRow[] {
  return lines(new URL(`../../tests/fixtures/short-messages/${name}`, import.meta.url)).map((l) => JSON.parse(l) as SentimentRow);
}

/** precision, recall, F1 */
export function prf(c: Counts): [number, number, number] {
  const p = c.tp / (c.tp + c.fp || 1);
  const r = c.tp / (c.tp + c.fn || 1);
  return [p, r, p + r === 0 ? 0 : (2 * p * r) / (p + r)];
}

export function count(target: Counts, predicted: boolean, gold: boolean): void {
  if (predicted && gold) target.tp++;
  else if (predicted) target.fp++;
  else if (gold) target.fn++;
}

function lines(file: string | URL): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/u)
    .filter((l) => l.trim() !== '');
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

