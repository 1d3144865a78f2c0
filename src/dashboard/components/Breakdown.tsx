import type { MetricValues } from '../api.ts';
import { DASH, formatCount, formatDayKey, formatPercent, pagePath } from '../format.ts';
import { GROUPS, groupBy, metrics } from '../state.ts';
import { CsvButton } from './CsvButton.tsx';
import { RateCells, RateHeaders } from './RateColumns.tsx';

function keyLabel(key: string, by: string): string {
  if (by === 'day') return formatDayKey(key);
  if (by === 'page') return pagePath(key);
  return key;
}

export function Breakdown() {
  const m = metrics.value;
  const by = groupBy.value;
  // The groups on screen belong to the grouping they were fetched for; while a new one loads, keep them.
  const groups: Array<MetricValues & { key: string }> = m?.groups ?? [];
  const shownBy = m?.groupBy ?? by;
  const heading = GROUPS.find((g) => g.id === shownBy)?.label ?? 'Group';
  const header = [heading, 'Conversations', 'Resolution', 'Escalation', 'Abandonment', 'CSAT (4-5)', 'CSAT answers'];
  const rows = () => groups.map((g) => [g.key, g.conversations, g.resolutionRate, g.escalationRate, g.abandonmentRate, g.csat.score, g.csat.responses]);

  return (
    <section class="panel card" aria-labelledby="breakdown-title">
      <div class="panel__head">
        <h2 id="breakdown-title">Breakdown</h2>
        <div class="segmented" role="group" aria-label="Group by">
          {GROUPS.map((g) => (
            <button key={g.id} type="button" class="segmented__option" aria-pressed={by === g.id} onClick={() => (groupBy.value = g.id)}>
              {g.label}
            </button>
          ))}
        </div>
        <CsvButton name={`by-${shownBy}`} label="the breakdown" header={header} rows={rows} />
      </div>
      {m === null ? (
        <p class="empty">Loading…</p>
      ) : groups.length === 0 ? (
        <p class="empty">Nothing to break down in this period yet.</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="breakdown-title" tabIndex={0}>
          <table class="table">
            <caption class="sr-only">Metrics by {heading.toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">{heading}</th>
                <th scope="col" class="num">
                  Conversations
                </th>
                <RateHeaders />
                <th scope="col" class="num">
                  CSAT
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.key} data-group-key={g.key}>
                  <th scope="row" class="cell-key">
                    {g.key === '(none)' ? (
                      <span class="muted">Not set</span>
                    ) : (
                      <span class="truncate" title={g.key}>
                        {keyLabel(g.key, shownBy)}
                      </span>
                    )}
                  </th>
                  <td class="num">{formatCount(g.conversations)}</td>
                  <RateCells m={g} />
                  <td class="num">
                    {g.csat.score === null ? DASH : formatPercent(g.csat.score, 0)}
                    {g.csat.responses > 0 && (
                      <span class="cell-sub">
                        {' '}
                        <span aria-hidden="true">({formatCount(g.csat.responses)})</span>
                        <span class="sr-only">
                          from {formatCount(g.csat.responses)} {g.csat.responses === 1 ? 'answer' : 'answers'}
                        </span>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
