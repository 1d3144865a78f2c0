// Portuguese strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Útil',
  notHelpful: 'Não foi útil',
  feedbackGroup: 'Avalie esta resposta',
  thanksForFeedback: 'Obrigado pelo seu feedback',
  feedbackRemoved: 'Feedback removido',
  csatQuestion: 'Qual é o seu nível de satisfação com esta conversa?',
  csatLow: 'Nada',
  csatHigh: 'Muito',
  commentLabel: 'Quer nos contar mais alguma coisa? (opcional)',
  commentPlaceholder: 'Seu comentário',
  send: 'Enviar',
  close: 'Fechar',
  csatThanks: 'Obrigado! Sua resposta nos ajuda a melhorar.',
};

export default strings;
