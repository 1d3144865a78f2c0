// Dutch strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Nuttig',
  notHelpful: 'Niet nuttig',
  feedbackGroup: 'Beoordeel dit antwoord',
  thanksForFeedback: 'Bedankt voor je feedback',
  feedbackRemoved: 'Feedback verwijderd',
  csatQuestion: 'Hoe tevreden ben je over dit gesprek?',
  csatLow: 'Helemaal niet',
  csatHigh: 'Zeer',
  commentLabel: 'Wil je ons nog iets vertellen? (optioneel)',
  commentPlaceholder: 'Je opmerking',
  send: 'Versturen',
  close: 'Sluiten',
  csatThanks: 'Bedankt! Je antwoord helpt ons verbeteren.',
};

export default strings;
