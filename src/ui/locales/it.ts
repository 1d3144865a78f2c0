// Italian strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Utile',
  notHelpful: 'Non utile',
  feedbackGroup: 'Valuta questa risposta',
  thanksForFeedback: 'Grazie per il tuo feedback',
  feedbackRemoved: 'Feedback rimosso',
  csatQuestion: 'Quanto sei soddisfatto di questa conversazione?',
  csatLow: 'Per niente',
  csatHigh: 'Molto',
  commentLabel: 'Vuoi dirci altro? (facoltativo)',
  commentPlaceholder: 'Il tuo commento',
  send: 'Invia',
  close: 'Chiudi',
  csatThanks: 'Grazie! La tua risposta ci aiuta a migliorare.',
};

export default strings;
