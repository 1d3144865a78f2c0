// French strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Utile',
  notHelpful: 'Pas utile',
  feedbackGroup: 'Évaluez cette réponse',
  thanksForFeedback: 'Merci pour votre avis',
  feedbackRemoved: 'Avis retiré',
  csatQuestion: 'Dans quelle mesure êtes-vous satisfait de cette conversation ?',
  csatLow: 'Pas du tout',
  csatHigh: 'Très',
  commentLabel: 'Autre chose à nous dire ? (facultatif)',
  commentPlaceholder: 'Votre commentaire',
  send: 'Envoyer',
  close: 'Fermer',
  csatThanks: 'Merci ! Votre réponse nous aide à progresser.',
};

export default strings;
