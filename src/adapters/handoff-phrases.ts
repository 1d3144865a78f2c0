// Words people use to ask for a person instead of the bot, in the languages ChatPulse speaks.
// Checked against control labels and, on the device only, against user messages. Patterns for
// scripts without word spaces (ja, zh, ko, ar, hi) match on phrases, not word boundaries.
const HANDOFF_PATTERNS: readonly RegExp[] = [
  // en
  /\b(talk|speak|chat|connect|transfer)\b[^.?!]{0,25}\b(human|person|agent|representative|rep|operator|someone|somebody|staff|support team)\b/i,
  /\b(live|human|real|support)\s+(agent|person|chat|operator|representative)\b/i,
  /\bcontact (support|an agent|a human)\b/i,
  // es, pt, it, fr
  /\b(hablar|comunicarme|contactar|falar|conversar|parlare|contattare|parler|discuter|joindre)\b[^.?!]{0,25}\b(humano|persona|agente|asesor|operador|pessoa|atendente|umano|operatore|humain|personne|conseill[eè]re?)\b/i,
  /\b(agente humano|persona real|pessoa real|atendimento humano|operatore umano|persona vera|vrai humain|agent humain|vraie personne)\b/i,
  // de
  /\b(mensch(en)?|mitarbeiter(in)?|berater(in)?|kundendienst|agenten)\b[^.?!]{0,25}\b(sprechen|reden|verbinden|chatten)\b/i,
  /\b(sprechen|reden|verbinden|chatten)\b[^.?!]{0,25}\b(mensch(en)?|mitarbeiter(in)?|berater(in)?)\b/i,
  // nl
  /\b(spreken|praten|chatten|verbinden|contact)\b[^.?!]{0,25}\b(mens|medewerker|persoon|agent)\b/i,
  /\b(echt(e)? mens|medewerker)\b[^.?!]{0,25}\b(spreken|praten)\b/i,
  // ja
  /(人間|担当者|オペレーター|スタッフ|有人).{0,10}(話|つな|繋|対応|チャット|代わ)/,
  // zh
  /(转人工|人工客服|人工服务|真人客服|找客服|联系客服|客服人员|找真人|跟真人)/,
  // ko
  /(상담원|상담사|사람|직원).{0,10}(연결|대화|통화|얘기|이야기)/,
  // ar
  /(التحدث|تحدث|أتحدث|التواصل|تواصل|أكلم|اكلم).{0,25}(إنسان|انسان|شخص|موظف|وكيل|ممثل)/,
  // hi
  /(इंसान|व्यक्ति|एजेंट|प्रतिनिधि|किसी असली).{0,20}(बात|जोड़|कनेक्ट)/,
];

export function asksForHuman(text: string): boolean {
  if (text.length > 300) return false;
  return HANDOFF_PATTERNS.some((pattern) => pattern.test(text));
}
