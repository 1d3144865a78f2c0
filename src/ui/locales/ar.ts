// Arabic strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'مفيد',
  notHelpful: 'غير مفيد',
  feedbackGroup: 'قيّم هذه الإجابة',
  thanksForFeedback: 'شكرًا على ملاحظاتك',
  feedbackRemoved: 'تمت إزالة الملاحظة',
  csatQuestion: 'ما مدى رضاك عن هذه المحادثة؟',
  csatLow: 'غير راضٍ إطلاقًا',
  csatHigh: 'راضٍ جدًا',
  commentLabel: 'هل تود إخبارنا بشيء آخر؟ (اختياري)',
  commentPlaceholder: 'تعليقك',
  send: 'إرسال',
  close: 'إغلاق',
  csatThanks: 'شكرًا لك! إجابتك تساعدنا على التحسين.',
};

export default strings;
