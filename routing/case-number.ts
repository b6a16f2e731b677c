/** Case numbers are the case id offset by 1000 and padded: id 1 is CS0001001. */
const OFFSET = 1000;
const PATTERN = /^CS(\d{7,})$/;

export function formatCaseNumber(id: number): string {
  return `CS${String(id + OFFSET).padStart(7, '0')}`;
}

/** The case id for a case number, or null when the text is not one of ours. */
export function parseCaseNumber(text: string): number | null {
  const m = PATTERN.exec(text.trim().toUpperCase());
  if (!m) return null;
  const id = Number(m[1]) - OFFSET;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
