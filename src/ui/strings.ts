// Every string the UI shows, per locale. English is the fallback for unknown locales.
export interface Strings {
  helpful: string;
  notHelpful: string;
  feedbackGroup: string;
  thanksForFeedback: string;
  feedbackRemoved: string;
  csatQuestion: string;
  csatLow: string;
  csatHigh: string;
  commentLabel: string;
  commentPlaceholder: string;
  send: string;
  close: string;
  csatThanks: string;
}

export const en: Strings = {
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

const locales: Record<string, Strings> = { en };

export function stringsFor(locale: string | null): Strings {
  const wanted = (locale ?? '').toLowerCase();
  return locales[wanted] ?? locales[wanted.split('-')[0] ?? ''] ?? en;
}
