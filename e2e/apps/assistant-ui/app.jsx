// A chat built with the real @assistant-ui/react primitives and a local runtime whose model is
// the offline scripted bot (answers streamed word by word). Messages carry data-role as in
// assistant-ui's templates; the action bar has the kit's own feedback buttons and Regenerate.
import { createRoot } from 'react-dom/client';
import { ActionBarPrimitive, AssistantRuntimeProvider, ComposerPrimitive, MessagePrimitive, ThreadPrimitive, useLocalRuntime } from '@assistant-ui/react';
import { GREETING, answer } from '../../fixtures/scripted-bot.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let regenerations = 0;
let lastAsked = null;

const scriptedModel = {
  async *run({ messages, abortSignal }) {
    const last = messages[messages.length - 1];
    const asked = last.content.filter((part) => part.type === 'text').map((part) => part.text).join(' ');
    // A regenerated answer (the same question asked again) is worded differently.
    const again = asked === lastAsked;
    lastAsked = asked;
    let text = answer(asked);
    if (again) text = `(Take ${++regenerations}) ${text}`;
    let shown = '';
    // "Thinking" before the first word, so a question that ends the chat (a handoff) is counted
    // before any of its answer is shown, whatever the machine's speed.
    await sleep(800);
    for (const word of text.split(' ')) {
      await sleep(40);
      if (abortSignal?.aborted) return;
      shown = shown ? `${shown} ${word}` : word;
      yield { content: [{ type: 'text', text: shown }] };
    }
  },
};

const feedback = { submit: () => undefined };

const UserMessage = () => (
  <MessagePrimitive.Root data-role="user" className="msg">
    <MessagePrimitive.Parts />
  </MessagePrimitive.Root>
);

const AssistantMessage = () => (
  <MessagePrimitive.Root data-role="assistant" className="msg">
    <MessagePrimitive.Parts />
    <ActionBarPrimitive.Root hideWhenRunning className="actions">
      {/* Icon buttons (no text), as in assistant-ui's templates. */}
      <ActionBarPrimitive.FeedbackPositive aria-label="Good answer" className="vote-up" />
      <ActionBarPrimitive.FeedbackNegative aria-label="Bad answer" className="vote-down" />
      <ActionBarPrimitive.Reload aria-label="Regenerate" className="regenerate" />
    </ActionBarPrimitive.Root>
  </MessagePrimitive.Root>
);

function App() {
  const runtime = useLocalRuntime(scriptedModel, {
    initialMessages: [{ role: 'assistant', content: [{ type: 'text', text: GREETING }] }],
    adapters: { feedback },
  });
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <ThreadPrimitive.Root className="thread">
        <ThreadPrimitive.Viewport className="viewport">
          <ThreadPrimitive.Messages components={{ UserMessage, AssistantMessage }} />
        </ThreadPrimitive.Viewport>
        <ComposerPrimitive.Root className="composer">
          <ComposerPrimitive.Input aria-label="Message" />
          <ComposerPrimitive.Send>Send</ComposerPrimitive.Send>
        </ComposerPrimitive.Root>
      </ThreadPrimitive.Root>
    </AssistantRuntimeProvider>
  );
}

createRoot(document.getElementById('root')).render(<App />);
