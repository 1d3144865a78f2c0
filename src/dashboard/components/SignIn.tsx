import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { authMessage, signIn } from '../state.ts';
import { Logo } from './Logo.tsx';

/** Shown when there is no token, or the collector refused it. */
export function SignIn() {
  const value = useSignal('');
  const error = useSignal<string | null>(authMessage.value || null);
  const busy = useSignal(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = value.value.trim();
    if (!candidate) {
      error.value = 'Enter the admin token.';
      input.current?.focus();
      return;
    }
    busy.value = true;
    const problem = await signIn(candidate);
    busy.value = false;
    if (problem) {
      error.value = problem;
      input.current?.select();
    }
  };

  return (
    <main class="signin" id="main">
      <form class="card signin__card" onSubmit={submit} noValidate aria-labelledby="signin-title">
        <div class="brand brand--large">
          <Logo />
          <span>ChatPulse</span>
        </div>
        <h1 id="signin-title" class="signin__title">
          Sign in to the dashboard
        </h1>
        <p class="muted">
          The collector prints a dashboard link with the token when it starts. You can also paste the token itself (<code>CHATPULSE_ADMIN_TOKEN</code>).
        </p>
        <div class="field">
          <label for="admin-token">Admin token</label>
          <input
            ref={input}
            id="admin-token"
            name="token"
            type="password"
            autocomplete="current-password"
            spellcheck={false}
            required
            value={value.value}
            onInput={(e) => (value.value = e.currentTarget.value)}
            aria-invalid={error.value ? true : undefined}
            aria-describedby={error.value ? 'signin-error' : undefined}
          />
        </div>
        {error.value && (
          <p id="signin-error" class="form-error" role="alert">
            {error.value}
          </p>
        )}
        <button type="submit" class="button button--primary" disabled={busy.value}>
          {busy.value ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
