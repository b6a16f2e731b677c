/**
 * What autoresponders that send no Auto-Submitted header still give away: out-of-office subjects in
 * several languages, ticket-system receipts ("Ticket #1001 received", "[#123] Request received"),
 * and the sentences automatic mail is written with ("This is an automated message", "Please do not
 * reply to this email"). Only the new text counts, never quoted history, and a body sentence must
 * stand as a statement of its own (at a line or sentence start), not inside a customer's own words.
 * Pure.
 */

const VACATION_SUBJECT = new RegExp(
  '^(' +
    [
      // English
      // "Automatic reply: <subject>"; a customer's "Auto reply setting not working" has no colon
      'out of (the )?office', '(auto(matic)?[- ]?(reply|response|antwort)|autoreply)\\s*([:：]|$)',
      'away from (the )?office', 'on vacation( until| till| from|:|$)', 'vacation (auto[- ]?)?(reply|notice|response|message)',
      // German, French, Spanish, Italian, Portuguese
      'abwesenheit', 'automatische antwort', 'nicht im büro', 'au(ß|ss)er haus\\s*:',
      'réponse automatique', 'absent(e)? du bureau', 'absence du bureau', 'message d[\'’]absence',
      'respuesta automática', 'fuera de la oficina', 'respuesta de ausencia', 'ausente\\s*:',
      'risposta automatica', 'fuori (sede|ufficio)', 'assente\\s*:',
      'resposta automática', 'fora do escritório', 'ausente do escritório', 'ausência\\s*:',
      // Dutch, Scandinavian, Finnish
      'automatisch antwoord', 'afwezig(heid(sbericht|smelding)?)?\\s*:', 'niet aanwezig', 'buiten kantoor',
      'automatiskt svar', 'frånvaro(meddelande)?\\s*:', 'frånvarande\\s*:', '(ej|inte) på kontoret',
      'automatisk svar', 'fravær(ende|smelding|sbesked)?\\s*:', 'ikke på kontoret',
      'automaattinen vastaus', 'poissa toimistolta',
      // Polish, Czech, Hungarian, Russian, Turkish, Greek
      'odpowiedź automatyczna', 'automatyczna odpowiedź', 'poza biurem', 'nieobecność\\s*:',
      'automatická odpověď', 'mimo kancelář', 'automatikus válasz', 'házon kívül',
      'автоматический ответ', 'автоответ', 'вне офиса', 'нет на месте', 'otomatik (yanıt|cevap)', 'ofis dışında',
      'αυτόματη απάντηση', 'εκτός γραφείου',
      // Japanese, Chinese, Korean
      '自動(応答|返信|回答)', '不在(通知|のお知らせ)', '自动(回复|答复)', '自動(回覆|回復)', '자동\\s*(회신|응답)', '부재\\s*중\\s*[:：]',
    ].join('|') +
    ')',
  'iu',
);

/** helpdesk tags that prefix a receipt's subject: "[#123]", "[Ticket#2025031110000012]" */
const TAGS = '(\\[[^\\]]{1,60}\\]\\s*)*';
const RECEIPT_SUBJECT = [
  // "Ticket #1001 received", "Your request (ID 77) has been created", "[#123] Request received"; the receipt word ends
  // the subject or a clause, so "Ticket #1001 received no answer" is a person's complaint
  new RegExp(
    `^${TAGS}(your\\s+)?((support|service|help\\s?desk)\\s+)?(ticket|request|case|enquiry|inquiry|incident|query)` +
      '(\\s*(#|no\\.?|nr\\.?|number|id)\\s*:?)?(\\s*[\\[(]?#?[a-z]{0,10}-?\\d[\\w-]*[\\])]?)?' +
      '\\s+((has\\s+been|was|is)\\s+)?(successfully\\s+)?(received|created|opened|logged|submitted|registered|acknowledged)' +
      '(?=\\s*$|\\s*[-–—:|(\\[,.!]|\\s+(from|for|regarding|about|by|via)\\b)',
    'iu',
  ),
  new RegExp(`^${TAGS}(we('ve|\\s+have)\\s+)?(successfully\\s+)?received\\s+your\\s+(support\\s+)?(request|message|e-?mail|enquiry|inquiry|ticket|query)\\b`, 'iu'),
  // "for contacting us / Acme", not a customer's "for contacting me"
  new RegExp(`^${TAGS}thank(s|\\s+you)\\s+for\\s+(contacting(?!\\s+(me|my|him|her|them)\\b)|reaching\\s+out|getting\\s+in\\s+touch|your\\s+(support\\s+)?(enquiry|inquiry|request))\\b`, 'iu'),
  new RegExp(`^${TAGS}(this\\s+is\\s+an\\s+)?(automated|auto-?generated)\\s+(response|reply|message|notification|acknowledge?ment|confirmation|e-?mail)\\b`, 'iu'),
  new RegExp(`^${TAGS}(do[\\s-]?not[\\s-]?reply|no[\\s-]?reply)\\b`, 'iu'),
  // German, French, Spanish, Portuguese, Italian
  new RegExp(
    `^${TAGS}(wir haben ihre (anfrage|nachricht|e-?mail) erhalten|ihre (anfrage|nachricht) (ist )?(bei uns )?eingegangen|` +
      'nous avons (bien )?reçu votre (demande|message|e-?mail|courriel)|hemos recibido su (solicitud|mensaje|correo|consulta)|' +
      'recebemos (a )?(sua|tua) (solicitação|mensagem|e-?mail)|abbiamo ricevuto (la |il )?(tua|sua|vostra) (richiesta|e-?mail|messaggio))',
    'iu',
  ),
];

/** a statement's start: a line start, or after the end of a sentence (after "said:" it is someone quoted) */
const START = '(^[ \\t*_-]*|[.!?]\\s+)';
const startOf = (body: string) => new RegExp(START + body, 'imu');

/** Any one of these says a machine wrote the text. */
const AUTOMATIC_TEXT = [
  startOf('this\\s+is\\s+an?\\s+(automated|automatic|automatically[\\s-]generated|auto-?generated|computer-?generated|system-?generated)\\s+(message|response|reply|e-?mail|mail|notification|notice|acknowledge?ment|confirmation|answer)\\b'),
  startOf('this\\s+is\\s+an?\\s+auto-?(reply|response)\\b'),
  startOf('this\\s+(e-?mail|message|mail|response|reply|notification)\\s+(is|was|has\\s+been)\\s+((sent|generated|created)\\s+)?(automatically|auto-?generated)\\b'),
  startOf('(please\\s+)?(do\\s+not|don[\'’]?t)\\s+(reply|respond)\\s+(directly\\s+)?to\\s+this\\s+(e-?mail|message|mail|notification|address)\\b'),
  startOf('this\\s+(e-?mail\\s+address|mailbox|inbox|address)\\s+is\\s+(not\\s+monitored|unmonitored|not\\s+attended|send[\\s-]only)\\b'),
  startOf('replies\\s+to\\s+this\\s+(e-?mail|message|address)\\s+(are|will)\\s+not\\s+(be\\s+)?(monitored|read|answered)\\b'),
  // German, French, Spanish, Italian, Portuguese, Dutch
  startOf('dies\\s+ist\\s+eine\\s+automatisch(e)?\\s+((generierte|erstellte|versendete|versandte)\\s+)?(nachricht|e-?mail|antwort|benachrichtigung)\\b'),
  startOf('(bitte\\s+)?antworten\\s+sie\\s+nicht\\s+auf\\s+diese\\s+(e-?mail|nachricht)\\b'),
  startOf('ceci\\s+est\\s+un\\s+(message|e-?mail|courriel|mail)\\s+automatique\\b'),
  startOf('(merci\\s+de\\s+ne\\s+pas|veuillez\\s+ne\\s+pas|ne\\s+pas)\\s+répondre\\s+à\\s+ce\\s+(message|courriel|mail|e-?mail)\\b'),
  startOf('este\\s+es\\s+un\\s+(mensaje|correo)\\s+(electrónico\\s+)?(automático|generado\\s+automáticamente)'),
  startOf('(por\\s+favor,?\\s+)?no\\s+responda\\s+a\\s+este\\s+(mensaje|correo)\\b'),
  startOf('questo\\s+è\\s+un\\s+messaggio\\s+(automatico|generato\\s+automaticamente)\\b'),
  startOf('(si\\s+prega\\s+di\\s+)?non\\s+rispondere\\s+a\\s+(questa|questo)\\s+(e-?mail|mail|messaggio)\\b'),
  startOf('esta\\s+é\\s+uma\\s+mensagem\\s+(automática|gerada\\s+automaticamente)'),
  startOf('(por\\s+favor,?\\s+)?não\\s+responda\\s+(a\\s+)?(este|esta)\\s+(e-?mail|mensagem)\\b'),
  startOf('dit\\s+is\\s+een\\s+automatisch\\s+((gegenereerd|verzonden)\\s+)?(bericht|e-?mail|antwoord)\\b'),
  startOf('(gelieve\\s+niet\\s+te\\s+antwoorden|reageer\\s+niet\\s+op\\s+(deze|dit)\\s+(e-?mail|bericht))'),
  // Japanese, Chinese
  /^\s*((この|本)メール(は|に)(送信専用|自動(送信|配信|返信)|(ご)?返信(しないで|されても|いただいても))|※?送信専用(の)?(アドレス|メール)です)/mu,
  /^\s*((此|本)(邮件|郵件)(为|為|是)?(系统|系統)?自[动動](发送|發送|生成)|[请請]勿(直接)?回[复覆])/mu,
];

/** A receipt ("we have received your request") counts together with one of the other habits of acknowledgements. */
const RECEIPT_TEXT = [
  startOf('we(\'ve|\\s+have)\\s+(successfully\\s+)?received\\s+your\\s+(support\\s+)?(request|message|e-?mail|enquiry|inquiry|ticket|query)\\b'),
  startOf('your\\s+(support\\s+)?(request|message|e-?mail|ticket|enquiry|inquiry|case|query)\\s+([(\\[]?#?[\\w-]*\\d[\\w-]*[)\\]]?\\s+)?(has\\s+been|was|is\\s+now)\\s+(received|logged|registered|created|opened)\\b'),
  startOf('(wir\\s+haben\\s+ihre\\s+(anfrage|nachricht|e-?mail)\\s+erhalten|nous\\s+avons\\s+(bien\\s+)?reçu\\s+votre\\s+(demande|message|e-?mail|courriel)|hemos\\s+recibido\\s+su\\s+(solicitud|mensaje|correo|consulta))'),
];
const RECEIPT_COMPANIONS = [
  startOf('thank(s|\\s+you)\\s+for\\s+(contacting|reaching\\s+out|getting\\s+in\\s+touch|writing\\s+to|your\\s+(e-?mail|message|enquiry|inquiry|request|patience))\\b'),
  /\b(ticket|case|request|reference|incident)\s*(number|no\.?|id|nr\.?|#)\s*(is\s*)?[:#]?\s*[a-z]{0,6}-?\d{3,}/iu,
  /\b(will|shall|'ll)\s+(get\s+back\s+to\s+you|respond|reply|answer|contact\s+you|be\s+in\s+touch|be\s+assigned)\b/iu,
  /\b(within|in\s+the\s+next)\s+(\d+|one|two|three|four|five|a\s+few|several)\s+(business\s+|working\s+)?(hours|days)\b/iu,
  startOf('(vielen\\s+dank\\s+für\\s+ihre\\s+(anfrage|nachricht|e-?mail)|merci\\s+(de|pour)\\s+votre\\s+(message|demande|courriel)|gracias\\s+por\\s+(contactar|su\\s+(mensaje|correo|consulta)))'),
];

/** how much of the new text the receipt check reads: acknowledgements are short and say it first */
const RECEIPT_WINDOW = 1500;

/** Why the subject alone marks an autoresponder (an out-of-office subject), or undefined. */
export function autoresponderSubject(subject: string): string | undefined {
  return VACATION_SUBJECT.test(subject.trim()) ? 'out-of-office subject' : undefined;
}

/** Why the new (unquoted) text marks an autoresponder, or undefined. */
export function autoresponderText(text: string): string | undefined {
  if (AUTOMATIC_TEXT.some((re) => re.test(text))) return 'automatic-message wording';
  const head = text.slice(0, RECEIPT_WINDOW);
  if (RECEIPT_TEXT.some((re) => re.test(head)) && RECEIPT_COMPANIONS.some((re) => re.test(head))) return 'acknowledgement wording';
  return undefined;
}

/**
 * A receipt's subject ("Ticket #1001 received", "Thank you for contacting Acme"), told from a
 * customer's ("No reply from support in 2 weeks!", "Request submitted for refund") by the text
 * under it: it counts only with one of a receipt's habits there.
 */
export function receiptSubject(subject: string, text: string): string | undefined {
  const s = subject.trim();
  if (!RECEIPT_SUBJECT.some((re) => re.test(s))) return undefined;
  const head = text.slice(0, RECEIPT_WINDOW);
  return [...RECEIPT_TEXT, ...RECEIPT_COMPANIONS].some((re) => re.test(head)) ? 'receipt subject and wording' : undefined;
}
