// Small inline SVG icons (they render the same on every system, unlike emoji). Decorative: the text
// beside them, or a visually hidden label, carries the meaning.
const UP_PATH = 'M7 10v11H3V10h4zm0 0l4-8a3 3 0 013 3v4h5.5a2 2 0 012 2.3l-1.4 8A2 2 0 0118.1 21H7';
const DOWN_PATH = 'M17 14V3h4v11h-4zm0 0l-4 8a3 3 0 01-3-3v-4H4.5a2 2 0 01-2-2.3l1.4-8A2 2 0 015.9 3H17';

export function ThumbIcon({ vote }: { vote: 'up' | 'down' }) {
  return (
    <svg class={`icon icon--thumb icon--${vote}`} viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <path d={vote === 'up' ? UP_PATH : DOWN_PATH} />
    </svg>
  );
}

export function CommentIcon() {
  return (
    <svg class="icon icon--comment" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M4 5h16v11H9l-5 4z" />
    </svg>
  );
}
