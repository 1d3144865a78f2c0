// German strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Hilfreich',
  notHelpful: 'Nicht hilfreich',
  feedbackGroup: 'Diese Antwort bewerten',
  thanksForFeedback: 'Danke für Ihr Feedback',
  feedbackRemoved: 'Feedback entfernt',
  csatQuestion: 'Wie zufrieden sind Sie mit diesem Gespräch?',
  csatLow: 'Gar nicht',
  csatHigh: 'Sehr',
  commentLabel: 'Möchten Sie uns noch etwas sagen? (optional)',
  commentPlaceholder: 'Ihr Kommentar',
  send: 'Senden',
  close: 'Schließen',
  csatThanks: 'Danke! Ihre Antwort hilft uns, besser zu werden.',
};

export default strings;
