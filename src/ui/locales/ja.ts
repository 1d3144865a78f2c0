// Japanese strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: '役に立った',
  notHelpful: '役に立たなかった',
  feedbackGroup: 'この回答を評価',
  thanksForFeedback: 'フィードバックありがとうございます',
  feedbackRemoved: 'フィードバックを取り消しました',
  csatQuestion: 'この会話にどの程度満足していますか？',
  csatLow: 'まったく満足していない',
  csatHigh: 'とても満足',
  commentLabel: 'ほかにお伝えいただくことはありますか？（任意）',
  commentPlaceholder: 'コメント',
  send: '送信',
  close: '閉じる',
  csatThanks: 'ありがとうございます。ご回答はサービス改善に役立てます。',
};

export default strings;
