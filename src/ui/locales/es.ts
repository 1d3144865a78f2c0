// Spanish strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Útil',
  notHelpful: 'No útil',
  feedbackGroup: 'Valora esta respuesta',
  thanksForFeedback: 'Gracias por tu opinión',
  feedbackRemoved: 'Opinión eliminada',
  csatQuestion: '¿Qué tan satisfecho estás con esta conversación?',
  csatLow: 'Nada',
  csatHigh: 'Mucho',
  commentLabel: '¿Algo más que quieras contarnos? (opcional)',
  commentPlaceholder: 'Tu comentario',
  send: 'Enviar',
  close: 'Cerrar',
  csatThanks: '¡Gracias! Tu respuesta nos ayuda a mejorar.',
};

export default strings;
