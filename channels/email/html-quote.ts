/**
 * Where the quoted history of an HTML reply starts, by its structure: the mail clients' own quote
 * containers. Converting an HTML-only reply to text, the parser worker marks the first of them, so that
 * the new text is cut there rather than by guessing from the converted lines (headers and separators
 * rendered from markup are often no longer recognisable as such).
 */
export const HTML_QUOTE_SELECTORS: readonly string[] = [
  'div.gmail_quote', // Gmail: the attribution line and the blockquote
  'blockquote.gmail_quote',
  'blockquote[type="cite"]', // Apple Mail, Thunderbird
  'div.moz-cite-prefix', // Thunderbird's "On … wrote:"
  '#divRplyFwdMsg', // Outlook on the web and new Outlook: the header block; the old message follows it
  '#appendonsend', // Outlook: the empty marker right above the header block
  '#OLK_SRC_BODY_SECTION', // Outlook for Mac
  'div.yahoo_quoted', // Yahoo Mail
  'blockquote.protonmail_quote', // Proton Mail
  'hr#zwchr', // Zimbra's separator
];
