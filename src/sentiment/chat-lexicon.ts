/**
 * ChatPulse's own lexicon layer on top of VADER (written for this project, MIT).
 * VADER was rated on general tweets; in a support chat many of its words mean something else
 * ("please help", "contact support", "I'd like to"), and the support vocabulary itself
 * ("works", "fixed", "crashed") is missing. Values use VADER's -4..+4 scale.
 */

/** Replaces or adds lexicon entries. 0 removes a word's valence. */
export const CHAT_VALENCE: Record<string, number> = {
  // Politeness and request words are barely sentiment in a support chat ("please help").
  please: 0.3, help: 0.5, support: 0, united: 0, number: 0,
  // Acknowledgements: mildly positive at most.
  ok: 0.5, okay: 0.5, yes: 0.6, yeah: 0.6, sure: 0.6, fine: 0.6, no: -0.6,
  // Overrated on tweets, mostly neutral in commerce/support text.
  save: 0.8, care: 1, play: 0.6, party: 1, chance: 0.4,
  // Support outcomes.
  works: 1.2, worked: 1.5, fixed: 1.4, solved: 1.6, resolved: 1.4, helped: 1.6,
  // Support problems.
  issue: -0.8, issues: -0.8, bug: -1, bugs: -1, glitch: -1.2, crashed: -1.8, crashes: -1.8,
  crashing: -1.8, freezes: -1.5, frozen: -1, slow: -0.8, laggy: -1.5, refund: -0.5,
  unhelpful: -2, sigh: -1, ugh: -1.8, overcharged: -2, scam: -2.8, nevermind: -0.3, fml: -2.3, omg: 0,
  unacceptable: -2.5, useless: -2.3, ridiculous: -2,
};

/**
 * Valence a word takes when negated, where VADER's flat x(-0.74) is wrong for chat:
 * "doesn't work" is a strong complaint although "work" alone is neutral, and "not sure"
 * is uncertainty, not negativity.
 */
export const NEGATED_VALENCE: Record<string, number> = {
  work: -2, works: -2, working: -2, worked: -2, fixed: -1.8, solved: -1.8, resolved: -1.8,
  help: -1.8, helped: -1.8, helpful: -2, useful: -1.8, care: -1.5, sure: -0.3,
  thanks: 0, thank: 0, like: -1.2, happy: -1.8, satisfied: -1.8,
};

/** Chat spellings and common misspellings, mapped to the lexicon word they mean. */
export const SPELLING: Record<string, string> = {
  thx: 'thanks', thanx: 'thanks', thnx: 'thanks', thks: 'thanks', tnx: 'thanks', tysm: 'thanks',
  thanku: 'thanks', thankyou: 'thanks', pls: 'please', plz: 'please', luv: 'love', gr8: 'great',
  awsome: 'awesome', amazin: 'amazing', dissapointed: 'disappointed', disapointed: 'disappointed',
  dissappointed: 'disappointed', dissapointing: 'disappointing', terible: 'terrible',
  horible: 'horrible', horrable: 'horrible', useles: 'useless', frustating: 'frustrating',
  anoying: 'annoying', ridiculus: 'ridiculous', wrks: 'works', helpfull: 'helpful',
  wierd: 'weird', definately: 'definitely', nvm: 'nevermind', 'never-mind': 'nevermind',
};

/** Emoji valences assigned by hand for this project (not from the CC BY-SA Emoji Sentiment Ranking). */
export const EMOJI_VALENCE: Record<string, number> = {
  '😀': 2, '😃': 2, '😄': 2.2, '😁': 2, '😆': 1.8, '😅': 0.6, '🤣': 1.8, '😂': 1.2, '🙂': 1.2,
  '😊': 2, '😇': 1.6, '🥰': 2.8, '😍': 2.8, '🤩': 2.6, '😘': 2.2, '😋': 1.6, '😎': 1.6,
  '🤗': 2, '👍': 1.8, '👌': 1.6, '👏': 1.8, '🙌': 2, '💪': 1.4, '🎉': 2.2, '🥳': 2.4, '✨': 1,
  '❤': 2.6, '❤️': 2.6, '💕': 2.4, '💖': 2.4, '💯': 2, '🔥': 1.2, '⭐': 1.2, '🌟': 1.6,
  '✅': 1.2, '🙏': 1, '😌': 1, '😉': 1.2, '🤔': -0.2, '😐': -0.4, '😑': -0.8, '😶': -0.3,
  '🙄': -1.6, '😒': -1.8, '😕': -1.2, '🙁': -1.5, '☹': -1.8, '😞': -2, '😔': -1.6, '😟': -1.6,
  '😢': -2.2, '😭': -2, '😩': -2, '😫': -2, '😤': -2, '😠': -2.6, '😡': -3, '🤬': -3.2,
  '😱': -1.8, '😨': -1.8, '😰': -1.8, '😖': -2, '😣': -1.8, '🤦': -1.8, '🤷': -0.4,
  '👎': -2, '💔': -2.6, '❌': -1.2, '⚠': -0.8, '🤮': -2.8, '🤢': -2.2, '💩': -2, '😬': -1,
  '🥲': 0.5, '🥺': -0.6, '😪': -1.2, '😴': -0.4,
};
