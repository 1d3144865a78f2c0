// Hindi strings for ChatPulse's UI.
import type { Strings } from '../strings.ts';

const strings: Strings = {
  helpful: 'उपयोगी',
  notHelpful: 'उपयोगी नहीं',
  feedbackGroup: 'इस उत्तर को रेट करें',
  thanksForFeedback: 'आपकी प्रतिक्रिया के लिए धन्यवाद',
  feedbackRemoved: 'प्रतिक्रिया हटा दी गई',
  csatQuestion: 'आप इस बातचीत से कितने संतुष्ट हैं?',
  csatLow: 'बिल्कुल नहीं',
  csatHigh: 'बहुत',
  commentLabel: 'क्या आप हमें कुछ और बताना चाहेंगे? (वैकल्पिक)',
  commentPlaceholder: 'आपकी टिप्पणी',
  send: 'भेजें',
  close: 'बंद करें',
  csatThanks: 'धन्यवाद! आपका उत्तर हमें बेहतर बनने में मदद करता है।',
};

export default strings;
