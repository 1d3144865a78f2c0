import { describe, expect, it } from 'vitest';
import { asksForHuman } from './handoff-phrases.ts';

describe('asksForHuman', () => {
  it.each([
    'Talk to a human',
    'Can I speak to a real person?',
    'connect me with an agent please',
    'Live agent',
    'I want to chat with someone from the support team',
    'Contact support',
    'Quiero hablar con un agente humano', // es
    'Quero falar com uma pessoa', // pt
    'Vorrei parlare con un operatore', // it
    'Je veux parler à un conseiller', // fr
    'Ich möchte mit einem Menschen sprechen', // de
    'Kann ich einen Mitarbeiter sprechen?', // de
    'Ik wil een medewerker spreken', // nl
    'オペレーターと話したいです', // ja
    '担当者につないでください', // ja
    '转人工', // zh
    '我要找人工客服', // zh
    '상담원 연결해 주세요', // ko
    'أريد التحدث مع موظف', // ar
    'मुझे किसी एजेंट से बात करनी है', // hi
  ])('recognises "%s"', (text) => expect(asksForHuman(text)).toBe(true));

  it.each([
    'How do I reset my password?',
    'The agent setting is greyed out',
    'Thanks, that helped',
    'Is a human review needed for refunds?',
    '¿Cómo cambio mi contraseña?',
    'Wie exportiere ich meine Daten?',
    '人工智能可以帮我写代码吗', // zh: "artificial intelligence", not a person
    'パスワードを変更したい',
    '비밀번호를 바꾸고 싶어요',
    'كيف أغير كلمة المرور؟',
    'मेरा पासवर्ड कैसे बदलें?',
  ])('does not fire on "%s"', (text) => expect(asksForHuman(text)).toBe(false));
});
