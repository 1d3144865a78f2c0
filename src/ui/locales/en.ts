// English strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  feedbackGroup: 'Rate this answer',
  thanksForFeedback: 'Thanks for your feedback',
  feedbackRemoved: 'Feedback removed',
  csatQuestion: 'How satisfied are you with this conversation?',
  csatLow: 'Not at all',
  csatHigh: 'Very',
  commentLabel: 'Anything else you want to tell us? (optional)',
  commentPlaceholder: 'Your comment',
  send: 'Send',
  close: 'Close',
  csatThanks: 'Thank you! Your answer helps us improve.',
};

export default strings;
