/**
 * Signs that a mail is a delivery failure notice when it carries no delivery-status part: the
 * subjects mail servers give such notices (in several languages), the sentences they open with,
 * the addresses they come from, and the SMS/MMS gateways of mobile carriers. None of them is enough
 * on its own for a sender that may be a person (customers do write "my parcel could not be
 * delivered"); loop-guard combines them. Pure.
 */

/** mail servers' own senders */
export const DAEMON_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/iu;

/**
 * Local parts only machines use: daemons, bounce and no-reply addresses, Exchange's system mailbox
 * (`MicrosoftExchange` and 32 hex digits), with an optional suffix (`postmaster.it@`, `bounce-17@`).
 */
const MACHINE_LOCAL_PART =
  /^(mailer-?daemon|mail-?daemon|postmaster|mail-?delivery(-?sub)?(-?system)?|mail-?error|bounces?|no-?reply|do-?not-?reply|microsoftexchange[0-9a-f]{32})([+._-][^@]*)?@/iu;

/**
 * Mobile carriers' SMS/MMS gateway hosts, which answer a mail with a carrier error. Carriers' own
 * mailbox domains (docomo.ne.jp, ezweb.ne.jp, …) are not here: people write from them every day, and
 * those carriers' failure notices come from their daemons, which DAEMON_SENDER knows.
 */
const CARRIER_DOMAINS = new Set([
  'vtext.com', 'vzwpix.com', 'mypixmessages.com', 'txt.att.net', 'mms.att.net', 'tmomail.net', 'messaging.sprintpcs.com',
  'pm.sprint.com', 'vmobl.com', 'vmpix.com', 'mymetropcs.com', 'sms.myboostmobile.com', 'myboostmobile.com',
  'sms.cricketwireless.net', 'mms.cricketwireless.net', 'msg.fi.google.com', 'text.republicwireless.com', 'email.uscc.net',
  'mms.uscc.net', 'txt.bell.ca', 'pcs.rogers.com', 'msg.telus.com',
]);

/**
 * Subjects of delivery failure notices. Words a customer might also put first in a subject about a
 * parcel ("Unzustellbar", "Undeliverable") count only in the notice form, followed by a colon.
 */
const FAILURE_SUBJECT = new RegExp(
  '^(' +
    [
      // English
      'delivery status notification', 'undelivered mail returned', 'undeliverable\\s*:', 'undeliverable (message|e-?mail)',
      'mail delivery (failed|failure|error|problem|subsystem)', 'delivery (failure|failed)\\s*:', 'delivery notification: delivery has failed',
      'failure notice', 'returned mail\\s*:', 'mail system error', 'non[- ]?delivery (report|notification)',
      'message (not delivered|delivery (failed|failure))', 'could not (be )?deliver(ed)?\\b.{0,40}message', 'warning: could not send message',
      // German
      'unzustellbar\\s*:', 'nicht zustellbar\\s*:', 'unzustellbare nachricht', 'nachricht (konnte )?nicht zugestellt',
      'benachrichtigung zum übermittlungsstatus', 'fehler bei der (zustellung|übermittlung)',
      // French
      'non remis\\s*:', 'message non (remis|distribué)', 'rapport de non[- ]remise', 'notification d[\'’]état de (la )?(remise|distribution)',
      'échec de (la )?(remise|distribution) du message',
      // Spanish
      'no se puede entregar\\s*:', 'mensaje no entregado', 'notificación de estado de (la )?entrega', 'error de entrega del (mensaje|correo)',
      // Portuguese
      'não é possível entregar\\s*:', 'mensagem não entregue', 'notificação de status de entrega', 'falha (na|de) entrega da mensagem',
      // Italian
      'non recapitabile\\s*:', 'impossibile recapitare', 'messaggio non recapitato', 'notifica (sullo )?stato (di )?(consegna|recapito)',
      // Dutch, Scandinavian, Finnish
      'onbestelbaar\\s*:', 'bericht niet bezorgd', 'olevererbart\\s*:', 'kan ikke leveres\\s*:', 'ei voitu toimittaa\\s*:',
      // Polish, Czech, Russian, Turkish
      'nie można dostarczyć\\s*:', 'niedostarczalne\\s*:', 'nedoručitelné\\s*:', 'nelze doručit\\s*:', 'недоставляемое\\s*:',
      'не доставлено\\s*:', 'невозможно доставить', 'teslim edilemedi\\s*:', 'iletilemedi\\s*:',
      // Japanese, Chinese, Korean
      '(メール)?(送信|配信|配送)(エラー|不能|失敗)', '未配達', '不達', '宛先不明', '(无法|無法)(投递|送达|传递|傳遞|投遞|送達)', '退信',
      '(投递|投遞|传递|傳遞)失[败敗]', '배달되지 않음', '전달 실패',
    ].join('|') +
    ')',
  'iu',
);

/** English notice subjects that also fit a person's words: telling only when the sender is surely a machine */
const LOOSE_FAILURE_SUBJECT =
  /^(delivery status notification \((failure|delay)\)|undeliverable:|undelivered mail returned to sender|mail delivery failed|delivery failure|failure notice|returned mail:|delivery has failed|mail system error|non[- ]?delivery)/iu;

/** What failure notices say in their opening lines; multi-word forms only, and lines may wrap anywhere. */
const FAILURE_TEXT = [
  // English
  /\b(this|your|the|following)\s+(e-?mail\s+|mail\s+)?message\s+(could\s+not|couldn['’]?t|cannot|can['’]?t|was\s+not|wasn['’]?t|has\s+not\s+been|will\s+not)\s+(be\s+)?delivered/iu,
  /^\s*(error:\s*)?message\s+(could\s+not\s+be\s+|was\s+not\s+|not\s+)delivered/imu,
  /\bdelivery\s+to\s+the\s+following\s+recipients?\s+(has\s+)?failed\b/iu,
  /\bdelivery\s+has\s+failed\s+to\s+(these|the\s+following)\s+recipients?/iu,
  /\b(undeliverable|undelivered)\s+(message|e-?mail)\b/iu,
  /\bcould\s+not\s+be\s+delivered\s+to\s+(one\s+or\s+more|the\s+following|any|all|some)\b/iu,
  /\b(unable|failed)\s+to\s+deliver\s+(your\s+|the\s+|this\s+)?(message|e-?mail)\b/iu,
  /\bcreated\s+automatically\s+by\s+mail\s+delivery\s+software\b/iu,
  /\b5[0-5]\d[\s-]+#?5\.\d{1,3}\.\d{1,3}\b/u,
  /#5\.\d{1,3}\.\d{1,3}\b/u,
  // German
  /konnte\s+nicht\s+(an\s+\S+(\s+\S+)?\s+)?zugestellt\s+werden/iu,
  /hat\s+einige\s+oder\s+alle\s+empfänger\s+nicht\s+erreicht/iu,
  // French
  /n['’]a\s+pas\s+pu\s+être\s+(remis|distribué|délivré|livré|envoyé)/iu,
  /n['’]a\s+pas\s+atteint\s+(certains|tous|le|les)/iu,
  // Spanish
  /no\s+(se\s+)?(pudo|ha\s+podido|puede)\s+(ser\s+)?entregar/iu,
  /no\s+llegó\s+a\s+(algunos|todos|ninguno)/iu,
  // Portuguese
  /não\s+(pôde|pode|foi\s+possível)\s+(ser\s+)?entreg(ue|ar)/iu,
  /não\s+foi\s+entregue/iu,
  // Italian
  /non\s+(è\s+stato|può\s+essere|è\s+stato\s+possibile)\s+recapitat/iu,
  /impossibile\s+recapitare/iu,
  // Dutch, Scandinavian, Polish, Russian, Turkish
  /kon\s+niet\s+worden\s+(afgeleverd|bezorgd)/iu,
  /(kunde\s+inte\s+levereras|kunne\s+ikke\s+leveres|kan\s+ikke\s+leveres)/iu,
  /nie\s+(można\s+dostarczyć|(mogła|może|została)\s+(zostać\s+)?dostarczona)/iu,
  /не\s+(может\s+быть|удалось|было|была)\s+доставлен/iu,
  /teslim\s+edilemedi/iu,
  // Japanese, Chinese, Korean
  /配信(でき(ません|なかった)|不能|エラー|失敗)|送信(エラー|でき(ません|なかった)|失敗)|(届き|届けられ)ませんでした|宛先不明/u,
  /(无法|無法)(投递|送达|传递|傳遞|投遞|送達)|(投递|投遞|传递|傳遞)失[败敗]/u,
  /(배달|전달)되지\s*않/u,
];

export function isMachineSender(address: string): boolean {
  return MACHINE_LOCAL_PART.test(address);
}

export function isCarrierGateway(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return CARRIER_DOMAINS.has(domain);
}

/** `fromMachine`: the sender is known to be a machine (no From, a null envelope sender), so looser forms count */
export function isFailureSubject(subject: string, fromMachine = false): boolean {
  const s = subject.trim();
  return FAILURE_SUBJECT.test(s) || (fromMachine && LOOSE_FAILURE_SUBJECT.test(s));
}

/**
 * A failure subject in the form servers give their notices: the phrase, a colon, then the subject of
 * the mail that failed ("Non remis : Re: Facture"). A customer's "Fehler bei der Zustellung meines
 * Pakets" or "未配達の荷物について" is not in that form.
 */
export function isFailureNoticeSubject(subject: string): boolean {
  const s = subject.trim();
  const m = FAILURE_SUBJECT.exec(s);
  if (!m) return false;
  return /[:：]\s*$/u.test(m[0]) ? s.length > m[0].length : /^\s*[:：]\s*\S/u.test(s.slice(m[0].length));
}

export function isFailureText(text: string): boolean {
  return FAILURE_TEXT.some((re) => re.test(text));
}
