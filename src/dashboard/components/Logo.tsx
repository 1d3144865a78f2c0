/** The ChatPulse mark: a speech bubble with a pulse line. Decorative; the name is always written beside it. */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect class="logo__bubble" x="2" y="3" width="28" height="22" rx="7" />
      <path class="logo__tail" d="M9 24l-1 6 7-6z" />
      <path class="logo__pulse" d="M6 14h5l2.5-5 4 10 2.5-5H26" />
    </svg>
  );
}
