// Kept apart from the matcher so the tracker can read it without pulling the matcher into the engine chunk.

/** The first user messages of a conversation that can set its intent. */
export const LABEL_MESSAGES = 3;
