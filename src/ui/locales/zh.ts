// Chinese (Simplified) strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: '有帮助',
  notHelpful: '没有帮助',
  feedbackGroup: '为此回答评分',
  thanksForFeedback: '感谢您的反馈',
  feedbackRemoved: '已撤回反馈',
  csatQuestion: '您对本次对话的满意度如何？',
  csatLow: '非常不满意',
  csatHigh: '非常满意',
  commentLabel: '还有什么想告诉我们的吗？（可选）',
  commentPlaceholder: '您的意见',
  send: '发送',
  close: '关闭',
  csatThanks: '谢谢！您的回答能帮助我们改进。',
};

export default strings;
