/** Closed word classes used by the rules. Tokens are lower-cased, apostrophes normalised to '. */

/** VADER's negators plus apostrophe-less chat spellings ("dont", "doesnt", "wont"). */
export const NEGATORS = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt', 'dont', 'hadnt',
  'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neednt', 'oughtnt', 'shant', 'shouldnt',
  'wasnt', 'werent', 'wont', 'wouldnt', 'neither', 'never', 'none', 'nope', 'nor', 'not',
  'nothing', 'nowhere', 'nobody', 'uhuh', 'uh-uh', 'without', 'rarely', 'seldom', 'despite',
  'aren', 'doesn', 'didn', 'isn', 'wasn',
]);

/** True for a negator, including any "n't" contraction ("can't", "wouldn't"). */
export function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't");
}

const B_INCR = 0.293;
const B_DECR = -0.293;

/** VADER's degree adverbs, plus chat intensifiers ("super", "sooo", "still" as in "still broken"). */
export const BOOSTERS = new Map<string, number>([
  ...[
    'absolutely', 'amazingly', 'awfully', 'completely', 'considerably', 'decidedly', 'deeply',
    'effing', 'enormously', 'entirely', 'especially', 'exceptionally', 'extremely', 'fabulously',
    'flipping', 'flippin', 'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fucking',
    'greatly', 'hella', 'highly', 'hugely', 'incredibly', 'intensely', 'majorly', 'more', 'most',
    'particularly', 'purely', 'quite', 'really', 'remarkably', 'so', 'substantially',
    'thoroughly', 'totally', 'tremendously', 'uber', 'unbelievably', 'unusually', 'utterly',
    'very', 'super', 'soo', 'sooo', 'realy', 'rly', 'freaking', 'damn', 'still', 'literally',
    'seriously', 'truly', 'way', 'too', 'ridiculously', 'insanely', 'horribly', 'terribly',
  ].map((w) => [w, B_INCR] as const),
  ...[
    'almost', 'barely', 'hardly', 'kinda', 'kindof', 'kind-of', 'less', 'little', 'marginally',
    'occasionally', 'partly', 'scarcely', 'slightly', 'somewhat', 'sorta', 'sortof', 'sort-of',
    'pretty', 'fairly', 'bit', 'abit',
  ].map((w) => [w, B_DECR] as const),
]);

/** Booster that takes two tokens ("kind of"): VADER dampens the word after it. */
export const DAMPENER_BIGRAM_HEADS = new Set(['kind', 'sort']);

/** Words after which "like" is a verb of wanting or a comparison, not approval. */
export const LIKE_NEUTRALISERS = new Set([
  "i'd", 'id', "we'd", 'would', 'looks', 'look', 'looked', 'sounds', 'something', 'anything',
  'just', 'stuff', 'things',
]);

/** Words that make the next positive word sarcastic when the message is negative overall. */
export const SARCASM_PRIMERS = new Set(['oh', 'just', 'gee', 'wow', 'ohh']);

/** Contrast conjunctions: what follows dominates (VADER's "but" rule). */
export const CONTRAST = new Set(['but', 'however', 'yet']);

/** Laughter and interjections express the writer's mood; a nearby "not" does not flip them. */
export const INTERJECTIONS = new Set([
  'lol', 'haha', 'hahaha', 'lmao', 'rofl', 'xd', 'yay', 'wow', 'ugh', 'smh', 'wtf', 'ffs', 'omg',
  'hehe', 'lolol', 'damn',
]);
