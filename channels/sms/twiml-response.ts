/** The TwiML documents the inbound webhook answers with. */
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';

export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

export function emptyTwiml(): string {
  return `${PROLOG}<Response/>`;
}

/** A reply Twilio sends back to the sender; an empty text gives the empty document. */
export function messageTwiml(text: string): string {
  if (text === '') return emptyTwiml();
  return `${PROLOG}<Response><Message>${escapeXml(text)}</Message></Response>`;
}

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // control characters other than tab/newline are not allowed in XML 1.0 at all
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}
