// The collector's dashboard: sign in with the admin token, then metrics, conversations and a
// breakdown for one site and period, refreshed every few seconds.
import { render } from 'preact';
import { App } from './components/App.tsx';
import { auth, authMessage, signIn } from './state.ts';
import { takeInitialToken } from './token.ts';
import './dashboard.css';

async function boot(): Promise<void> {
  const token = takeInitialToken();
  if (!token) {
    auth.value = 'signed-out';
    return;
  }
  const problem = await signIn(token, false);
  if (problem) {
    authMessage.value = problem.startsWith('That token') ? 'The saved admin token was not accepted. Sign in again.' : problem;
    auth.value = 'signed-out';
  }
}

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void boot();
}
