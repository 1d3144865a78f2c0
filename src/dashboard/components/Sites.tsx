// The Sites panel: the registry behind the site picker — public keys (the data-site values), allowed
// origins, collection on/off — with add, edit origins, enable/disable and key rotation. Everything
// is a native form control or button (keyboard and screen readers work without extra code); results
// and errors are announced through one status line in the panel.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { UnauthorizedError } from '../api.ts';
import { signOut, sites as pickerSites, token } from '../state.ts';
import { createSite, listSites, rotateKey, setEnabled, setOrigins, type SiteView } from '../sites-api.ts';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const GRACE_CHOICES = [
  { days: 7, label: '7 days (default)' },
  { days: 1, label: '1 day' },
  { days: 30, label: '30 days' },
  { days: 0, label: 'None: revoke old keys now' },
];

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function Sites() {
  const list = useSignal<SiteView[] | null>(null);
  const message = useSignal<{ text: string; error: boolean } | null>(null);
  const busy = useSignal(false);
  const editing = useSignal<string | null>(null);
  const rotating = useSignal<string | null>(null);

  /** Runs a change, reloads the list (and the site picker), and reports the outcome. */
  const run = async (work: (t: string) => Promise<string>): Promise<boolean> => {
    const t = token.value;
    if (!t) return false;
    busy.value = true;
    try {
      const done = await work(t);
      const fresh = await listSites(t);
      list.value = fresh;
      pickerSites.value = fresh;
      message.value = done ? { text: done, error: false } : null;
      return true;
    } catch (error) {
      if (error instanceof UnauthorizedError) signOut();
      else message.value = { text: error instanceof Error ? error.message : 'Something went wrong', error: true };
      return false;
    } finally {
      busy.value = false;
    }
  };

  useEffect(() => {
    void run(async () => '');
  }, []);

  const onAdd = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const id = String(data.get('id') ?? '').trim();
    const name = String(data.get('name') ?? '').trim();
    const ok = await run(async (t) => {
      await createSite(t, { id, ...(name ? { name } : {}), origins: lines(String(data.get('origins') ?? '')) });
      return `Site ${id} added.`;
    });
    if (ok) form.reset();
  };

  return (
    <section class="card sites" aria-labelledby="sites-title">
      <div class="sites__head">
        <h2 id="sites-title">
          Sites
        </h2>
        <p class="muted">Pages send a public key as data-site. Rotating a key keeps the old ones working for a grace period.</p>
      </div>
      <p class={`sites__message${message.value?.error ? ' sites__message--error' : ''}`} role="status">
        {message.value?.text ?? ''}
      </p>
      {list.value === null ? (
        <p class="muted">Loading sites…</p>
      ) : (
        <ul class="sites__list">
          {list.value.map((site) => (
            <li key={site.key} class="sites__item">
              <div class="sites__row">
                <h3 class="sites__name">
                  {site.name && site.name !== site.key ? `${site.name} ` : ''}
                  <code>{site.key}</code>
                </h3>
                <span class={`badge ${site.enabled ? 'badge--resolved' : 'badge--unknown'}`}>{site.enabled ? 'Collecting' : 'Disabled'}</span>
              </div>
              <dl class="sites__facts">
                <dt>Keys</dt>
                <dd>
                  <ul class="sites__keys">
                    {site.keys.map((k) => (
                      <li key={k.key}>
                        <code>{k.key}</code>{' '}
                        <span class="muted">
                          {k.state === 'active' ? 'active' : `${k.state === 'expiring' ? 'valid until' : 'expired'} ${dateFormat.format(new Date(k.expiresAt!))}`}
                        </span>
                      </li>
                    ))}
                  </ul>
                </dd>
                <dt>Origins</dt>
                <dd>
                  {editing.value === site.key ? (
                    <form
                      class="sites__form"
                      onSubmit={async (e) => {
                        e.preventDefault();
                        const origins = lines(String(new FormData(e.currentTarget).get('origins') ?? ''));
                        if (await run(async (t) => (await setOrigins(t, site.key, origins), `Origins of ${site.key} saved.`))) editing.value = null;
                      }}
                    >
                      <label class="field">
                        <span>Allowed origins, one per line</span>
                        <textarea name="origins" rows={4} defaultValue={site.origins.join('\n')} />
                      </label>
                      <div class="sites__actions">
                        <button type="submit" class="button button--primary" disabled={busy.value}>
                          Save origins
                        </button>
                        <button type="button" class="button button--ghost" onClick={() => (editing.value = null)}>
                          Cancel
                        </button>
                      </div>
                    </form>
                  ) : site.origins.length > 0 ? (
                    <ul class="sites__keys">
                      {site.origins.map((o) => (
                        <li key={o}>
                          <code>{o}</code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span class="muted">None: every beacon is refused</span>
                  )}
                </dd>
              </dl>
              {rotating.value === site.key ? (
                <form
                  class="sites__form"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    const days = Number(new FormData(e.currentTarget).get('grace'));
                    if (await run(async (t) => `New key for ${site.key}: ${await rotateKey(t, site.key, days)}. Update data-site on your pages.`)) rotating.value = null;
                  }}
                >
                  <label class="field">
                    <span>Keep the current keys working for</span>
                    <select name="grace" defaultValue="7">
                      {GRACE_CHOICES.map((g) => (
                        <option key={g.days} value={g.days}>
                          {g.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <div class="sites__actions">
                    <button type="submit" class="button button--primary" disabled={busy.value}>
                      Issue new key
                    </button>
                    <button type="button" class="button button--ghost" onClick={() => (rotating.value = null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <div class="sites__actions">
                  <button type="button" class="button" disabled={busy.value} onClick={() => ((editing.value = site.key), (rotating.value = null))} aria-label={`Edit origins of ${site.key}`}>
                    Edit origins
                  </button>
                  <button type="button" class="button" disabled={busy.value} onClick={() => ((rotating.value = site.key), (editing.value = null))} aria-label={`Rotate key of ${site.key}`}>
                    Rotate key
                  </button>
                  <button
                    type="button"
                    class="button button--ghost"
                    disabled={busy.value}
                    aria-label={`${site.enabled ? 'Disable' : 'Enable'} ${site.key}`}
                    onClick={() => void run(async (t) => (await setEnabled(t, site.key, !site.enabled), `${site.key} ${site.enabled ? 'disabled: its beacons get 403' : 'enabled'}.`))}
                  >
                    {site.enabled ? 'Disable' : 'Enable'}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="sites__form sites__add" onSubmit={onAdd} aria-labelledby="add-site-title">
        <h3 id="add-site-title" class="sites__name">
          Add a site
        </h3>
        <label class="field">
          <span>Id (letters, digits, _ . : -)</span>
          <input name="id" required pattern="[A-Za-z0-9_.:\-]{1,64}" autocomplete="off" />
        </label>
        <label class="field">
          <span>Name (optional)</span>
          <input name="name" maxLength={200} autocomplete="off" />
        </label>
        <label class="field">
          <span>Allowed origins, one per line (https://shop.example, https://*.shop.example)</span>
          <textarea name="origins" rows={3} required />
        </label>
        <div class="sites__actions">
          <button type="submit" class="button button--primary" disabled={busy.value}>
            Add site
          </button>
        </div>
      </form>
    </section>
  );
}
