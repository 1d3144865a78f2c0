import { describe, expect, it } from 'vitest';
import { readBotpressMessage } from './botpress.ts';
import { readChatwootMessage } from './chatwoot.ts';

describe('readChatwootMessage', () => {
  it('reads the visitor (0) and the bot (1), keyed by id so an update is the same message', () => {
    expect(readChatwootMessage({ id: 7, message_type: 0, content: 'Hi', sender: { type: 'contact' } })).toEqual({ message: { key: 'user:7', role: 'user', text: 'Hi' } });
    expect(readChatwootMessage({ id: 8, message_type: 1, content: 'Hello!', sender: { type: 'agent_bot' } })).toEqual({ message: { key: 'bot:8', role: 'bot', text: 'Hello!' } });
    expect(readChatwootMessage({ id: 8, message_type: 'outgoing', content: 'Hello!' })).toEqual({ message: { key: 'bot:8', role: 'bot', text: 'Hello!' } });
  });
  it('a reply from a human agent is a handoff, not a bot message', () => {
    expect(readChatwootMessage({ id: 9, message_type: 1, content: 'Jane here', sender: { type: 'user' } })).toEqual({ handoff: true });
    expect(readChatwootMessage({ id: 9, message_type: 1, content: 'Jane here', sender_type: 'User' })).toEqual({ handoff: true });
  });
  it('ignores activity and template messages, and anything that is not a message', () => {
    expect(readChatwootMessage({ id: 10, message_type: 2, content: 'Conversation was assigned to Jane' })).toBeNull();
    expect(readChatwootMessage({ id: 11, message_type: 3, content: 'Pick one' })).toBeNull();
    expect(readChatwootMessage(null)).toBeNull();
    expect(readChatwootMessage('message')).toBeNull();
  });
});

describe('readBotpressMessage', () => {
  it('reads text from the payload shapes of Webchat v2 and v3', () => {
    expect(readBotpressMessage('bot', { id: 'm1', payload: { type: 'text', text: 'Hello' } }, '1')).toEqual({ key: 'bot:m1', role: 'bot', text: 'Hello' });
    expect(readBotpressMessage('bot', { id: 'm2', payload: { type: 'bloc', block: { text: 'Block' } } }, '2')).toEqual({ key: 'bot:m2', role: 'bot', text: 'Block' });
    expect(readBotpressMessage('user', { text: 'Where is my order?' }, '3')).toEqual({ key: 'user#3', role: 'user', text: 'Where is my order?' });
  });
  it('a payload without text gives empty text (not counted by the adapter)', () => {
    expect(readBotpressMessage('bot', { id: 'm4', payload: { type: 'image', imageUrl: 'x' } }, '4').text).toBe('');
  });
});
