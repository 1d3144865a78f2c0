// Per intent: volume, resolution, escalation, abandonment, sorted by the damage done (failed
// conversations = ended × (1 − resolution)), so the intent to fix first is on top. Below it, the
// editor for the site's intent definitions, which the widget fetches to label conversations.
import { useSignal } from '@preact/signals';
import type { IntentDefinition, MetricGroup } from '../api.ts';
import { formatCount } from '../format.ts';
import { intentDefinitions, loadIntentDefinitions, metrics, storeIntentDefinitions } from '../state.ts';
import { CsvButton } from './CsvButton.tsx';
import { RateCells, RateHeaders } from './RateColumns.tsx';

/** Conversations that ended without being resolved: what an intent costs. */
export const failedConversations = (g: MetricGroup): number => Math.round(g.ended * (1 - (g.resolutionRate ?? 0)));

interface Draft {
  name: string;
  patterns: string;
}

const toDraft = (list: IntentDefinition[]): Draft[] => list.map((i) => ({ name: i.name, patterns: i.patterns.join('\n') }));
const fromDraft = (drafts: Draft[]): IntentDefinition[] =>
  drafts.map((d) => ({ name: d.name.trim(), patterns: d.patterns.split('\n').map((p) => p.trim()).filter(Boolean) })).filter((i) => i.name || i.patterns.length);

function IntentEditor() {
  const drafts = useSignal<Draft[] | null>(null);
  const status = useSignal<{ error: boolean; text: string } | null>(null);
  const saving = useSignal(false);
  const list = drafts.value ?? (intentDefinitions.value ? toDraft(intentDefinitions.value) : null);

  const update = (i: number, change: Partial<Draft>) => {
    const next = [...(list ?? [])];
    next[i] = { ...next[i]!, ...change };
    drafts.value = next;
    status.value = null;
  };
  const save = async (event: Event) => {
    event.preventDefault();
    saving.value = true;
    const error = await storeIntentDefinitions(fromDraft(list ?? []));
    saving.value = false;
    status.value = error ? { error: true, text: error } : { error: false, text: 'Saved. Pages pick up the change within five minutes.' };
    if (!error) drafts.value = null;
  };

  return (
    <details class="intents__editor" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void loadIntentDefinitions()}>
      <summary>Edit intents</summary>
      <p class="muted">
        One keyword or phrase per line, in any language (case and accents are ignored), or a regular expression written as <code>/pattern/i</code>. The widget labels
        each conversation on the visitor's device from its first three messages; the text never leaves the browser.
      </p>
      {list === null ? (
        <p class="muted">Loading…</p>
      ) : (
        <form onSubmit={save}>
          {list.map((d, i) => (
            <fieldset key={i} class="intent-row">
              <legend class="sr-only">Intent {i + 1}</legend>
              <div class="control">
                <label for={`intent-name-${i}`}>Intent name</label>
                <input id={`intent-name-${i}`} value={d.name} maxLength={60} onInput={(e) => update(i, { name: e.currentTarget.value })} />
              </div>
              <div class="control control--grow">
                <label for={`intent-patterns-${i}`}>Keywords and patterns</label>
                <textarea id={`intent-patterns-${i}`} rows={3} value={d.patterns} onInput={(e) => update(i, { patterns: e.currentTarget.value })} />
              </div>
              <button type="button" class="button button--ghost button--small" onClick={() => (drafts.value = list.filter((_, j) => j !== i))}>
                Remove<span class="sr-only"> intent {d.name || i + 1}</span>
              </button>
            </fieldset>
          ))}
          <div class="intent-actions">
            <button type="button" class="button button--ghost" onClick={() => (drafts.value = [...list, { name: '', patterns: '' }])}>
              Add intent
            </button>
            <button type="submit" class="button" disabled={saving.value}>
              {saving.value ? 'Saving…' : 'Save intents'}
            </button>
          </div>
          <p class={status.value?.error ? 'form-error' : 'muted'} role={status.value?.error ? 'alert' : 'status'}>
            {status.value?.text ?? ''}
          </p>
        </form>
      )}
    </details>
  );
}

export function Intents() {
  const m = metrics.value;
  const groups = [...(m?.groupings?.intent ?? [])].sort((a, b) => failedConversations(b) - failedConversations(a) || b.conversations - a.conversations);
  const header = ['Intent', 'Conversations', 'Failed', 'Resolution', 'Escalation', 'Abandonment'];
  const rows = () => groups.map((g) => [g.key, g.conversations, failedConversations(g), g.resolutionRate, g.escalationRate, g.abandonmentRate]);
  return (
    <section class="panel card" aria-labelledby="intents-title">
      <div class="panel__head">
        <h2 id="intents-title">Intents</h2>
        <CsvButton name="intents" label="the intent table" header={header} rows={rows} />
      </div>
      {m === null ? (
        <p class="empty">Loading…</p>
      ) : groups.length === 0 ? (
        <p class="empty">No conversations in this period.</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="intents-title" tabIndex={0}>
          <table class="table" data-table="intents">
            <caption class="sr-only">Intents, most failed conversations first</caption>
            <thead>
              <tr>
                <th scope="col">Intent</th>
                <th scope="col" class="num">
                  Conversations
                </th>
                <th scope="col" class="num">
                  <abbr title="Ended without being resolved: conversations × (1 − resolution)">Failed</abbr>
                </th>
                <RateHeaders />
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.key} data-intent={g.key}>
                  <th scope="row">{g.key === '(none)' ? <span class="muted">Not labelled</span> : g.key}</th>
                  <td class="num">{formatCount(g.conversations)}</td>
                  <td class="num">
                    <span class="damage">{formatCount(failedConversations(g))}</span>
                  </td>
                  <RateCells m={g} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <IntentEditor />
    </section>
  );
}
