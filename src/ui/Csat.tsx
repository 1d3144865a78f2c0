import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Strings } from './strings.ts';

interface CsatProps {
  strings: Strings;
  onScore: (score: number) => void;
  onComment: (comment: string) => void;
  onClose: () => void;
}

const SCORES = [1, 2, 3, 4, 5] as const;
let instances = 0;

export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The end-of-conversation question: choosing a score records it at once; a comment is optional. */
export function Csat({ strings, onScore, onComment, onClose }: CsatProps) {
  const score = useSignal<number | null>(null);
  const comment = useSignal('');
  const sent = useSignal(false);
  const id = useRef(`cp-csat-${++instances}`).current;
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Take focus only if the user is not typing somewhere (never steal it from the chat input,
    // which may sit inside the chat's own shadow root).
    const active = deepActiveElement();
    const typing = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement || (active instanceof HTMLElement && active.isContentEditable);
    if (!typing) first.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    if (!sent.value) return;
    const timer = setTimeout(onClose, 2500);
    return () => clearTimeout(timer);
  }, [sent.value]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onClose();
  };

  return (
    <div class="card" role="dialog" aria-label={strings.csatQuestion} onKeyDown={onKeyDown}>
      {sent.value ? (
        <div class="head">
          <p class="thanks" role="status" aria-live="polite">
            {strings.csatThanks}
          </p>
          <button type="button" class="close" aria-label={strings.close} onClick={onClose}>
            ×
          </button>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (comment.value.trim()) onComment(comment.value.trim());
            sent.value = true;
          }}
        >
          <fieldset>
            <div class="head">
              <legend id={`${id}-q`}>{strings.csatQuestion}</legend>
              <button type="button" class="close" aria-label={strings.close} onClick={onClose}>
                ×
              </button>
            </div>
            <div class="scale" role="radiogroup" aria-labelledby={`${id}-q`}>
              {SCORES.map((value, i) => (
                <span class="option" key={value}>
                  <input
                    ref={i === 0 ? first : undefined}
                    type="radio"
                    id={`${id}-${value}`}
                    name={`${id}-score`}
                    value={String(value)}
                    checked={score.value === value}
                    onChange={() => {
                      score.value = value;
                      onScore(value);
                    }}
                  />
                  <label for={`${id}-${value}`}>{value}</label>
                </span>
              ))}
            </div>
            <div class="ends" aria-hidden="true">
              <span>{strings.csatLow}</span>
              <span>{strings.csatHigh}</span>
            </div>
          </fieldset>
          {score.value !== null && (
            <div class="comment">
              <label for={`${id}-comment`}>{strings.commentLabel}</label>
              <textarea id={`${id}-comment`} maxLength={2000} placeholder={strings.commentPlaceholder} value={comment.value} onInput={(e) => (comment.value = (e.currentTarget as HTMLTextAreaElement).value)} />
              <button type="submit" class="send">
                {strings.send}
              </button>
            </div>
          )}
        </form>
      )}
    </div>
  );
}
