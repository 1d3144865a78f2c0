// Korean strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: '도움이 됨',
  notHelpful: '도움이 안 됨',
  feedbackGroup: '이 답변 평가',
  thanksForFeedback: '의견을 보내 주셔서 감사합니다',
  feedbackRemoved: '의견을 취소했습니다',
  csatQuestion: '이번 대화에 얼마나 만족하셨나요?',
  csatLow: '전혀 아님',
  csatHigh: '매우 만족',
  commentLabel: '더 하고 싶은 말씀이 있나요? (선택)',
  commentPlaceholder: '의견',
  send: '보내기',
  close: '닫기',
  csatThanks: '감사합니다! 답변은 서비스 개선에 도움이 됩니다.',
};

export default strings;
