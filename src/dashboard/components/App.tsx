import { useEffect } from 'preact/hooks';
import { formatClock } from '../format.ts';
import { REFRESH_MS, auth, currentPeriod, groupBy, loadError, loading, metrics, outcomeFilter, period, refresh, siteKey, sites, updatedAt } from '../state.ts';
import { Alerts } from './Alerts.tsx';
import { Breakdown } from './Breakdown.tsx';
import { Conversations } from './Conversations.tsx';
import { Header } from './Header.tsx';
import { SignIn } from './SignIn.tsx';
import { Sites } from './Sites.tsx';
import { Tiles } from './Tiles.tsx';

const rangeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

function Status() {
  const at = updatedAt.value;
  const error = loadError.value;
  // The only live region on the page: a short line, so screen readers hear refreshes and failures without re-reading the page.
  return (
    <p class={`status${error ? ' status--error' : ''}`} aria-live="polite" aria-atomic="true">
      <span class={`status__dot${error ? ' status__dot--error' : ''}`} aria-hidden="true" />
      {error ? `${error} · retrying${at ? ` · last updated ${formatClock(at)}` : ''}` : at ? `Updated ${formatClock(at)}` : 'Loading…'}
    </p>
  );
}

function Dashboard() {
  // Reload at once when the selection changes; every 5 seconds quietly while the tab is visible.
  useEffect(() => {
    void [siteKey.value, period.value, groupBy.value, outcomeFilter.value];
    void refresh(false);
  }, [siteKey.value, period.value, groupBy.value, outcomeFilter.value]);

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh(true);
    }, REFRESH_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh(true);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  const m = metrics.value;
  const site = sites.value.find((s) => s.key === siteKey.value);
  const p = currentPeriod.value;
  const siteName = site ? site.name || site.key : null;

  useEffect(() => {
    document.title = siteName ? `${siteName} · ChatPulse` : 'ChatPulse';
  }, [siteName]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" class={`content${loading.value ? ' is-loading' : ''}`} aria-busy={loading.value} tabIndex={-1}>
        <div class="pagehead">
          <div>
            <h1 class="pagehead__title">{siteName ?? (sites.value.length === 0 ? 'No sites yet' : 'Dashboard')}</h1>
            <p class="pagehead__sub">
              {p.label}
              {m && (
                <>
                  {' · '}
                  <time dateTime={m.from}>{rangeFormat.format(new Date(m.from))}</time> – <time dateTime={m.to}>{rangeFormat.format(new Date(m.to))}</time>
                </>
              )}
              {site && !site.enabled && <span class="badge badge--unknown pagehead__flag">Collection disabled</span>}
            </p>
          </div>
          <Status />
        </div>

        {sites.value.length === 0 ? (
          <div class="card empty">
            <p class="empty__title">No sites are configured</p>
            <p>Restart the collector with `npm start` to create the demo site.</p>
          </div>
        ) : (
          <>
            <section aria-labelledby="metrics-title">
              <h2 id="metrics-title" class="sr-only">
                Key metrics
              </h2>
              <Tiles data={m ? { current: m, previous: m.previous } : null} />
            </section>
            <Alerts />
            <Conversations totalInPeriod={m ? m.conversations : null} />
            <Breakdown />
          </>
        )}
        <Sites />
      </main>
      <footer class="footer">
        <p>
          Rates count ended conversations with at least one user message. Changes compare with the previous {p.short}.
        </p>
      </footer>
    </>
  );
}

export function App() {
  if (auth.value === 'checking') {
    return (
      <main class="signin" id="main" aria-busy="true">
        <p class="muted">Loading ChatPulse…</p>
      </main>
    );
  }
  return auth.value === 'signed-in' ? <Dashboard /> : <SignIn />;
}
