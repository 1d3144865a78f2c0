// Did the change help? Two periods (this one and the one before) or two releases side by side,
// with the difference per rate and whether it is beyond noise for the volumes involved.
import type { MetricValues } from '../api.ts';
import { compareMetrics, type ComparedRate } from '../compare.ts';
import { formatCount, formatPercent } from '../format.ts';
import { compareA, compareB, compareMode, currentPeriod, metrics, type CompareMode } from '../state.ts';
import { CsvButton } from './CsvButton.tsx';

function points(difference: number | null): string {
  if (difference === null) return '—';
  const pts = Math.round(difference * 1000) / 10;
  return `${pts > 0 ? '+' : pts < 0 ? '−' : '±'}${Math.abs(pts).toFixed(1)} pts`;
}

function Verdict({ row }: { row: ComparedRate }) {
  const tone = row.verdict === 'better' ? 'good' : row.verdict === 'worse' ? 'bad' : 'neutral';
  const label = row.verdict === 'better' ? 'Better' : row.verdict === 'worse' ? 'Worse' : row.verdict === 'within noise' ? 'Within noise' : 'Not enough data';
  return (
    <span class={`verdict verdict--${tone}`} title={row.p === null ? undefined : `p = ${row.p.toFixed(3)} (two-proportion z-test)`}>
      {label}
      {row.p !== null && <span class="cell-sub"> p={row.p < 0.001 ? '<0.001' : row.p.toFixed(3)}</span>}
    </span>
  );
}

export function Compare() {
  const m = metrics.value;
  if (!m) return null;
  const releases = [...(m.groupings?.release ?? [])].filter((g) => g.key !== '(none)').sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  const mode = compareMode.value;
  let a: MetricValues | null = null;
  let b: MetricValues | null = null;
  let labelA = '';
  let labelB = '';
  if (mode === 'periods') {
    a = m.previous;
    b = m;
    labelA = `Previous ${currentPeriod.value.short}`;
    labelB = `Last ${currentPeriod.value.short}`;
  } else {
    const keyA = compareA.value && releases.some((r) => r.key === compareA.value) ? compareA.value : releases.at(-2)?.key ?? null;
    const keyB = compareB.value && releases.some((r) => r.key === compareB.value) ? compareB.value : releases.at(-1)?.key ?? null;
    a = releases.find((r) => r.key === keyA) ?? null;
    b = releases.find((r) => r.key === keyB) ?? null;
    labelA = keyA ?? '—';
    labelB = keyB ?? '—';
  }
  const rows = a && b ? compareMetrics(a, b) : [];
  const header = ['Metric', labelA, labelB, 'Difference (pts)', 'Verdict', 'p'];
  const csvRows = () => [
    ['Conversations', a?.conversations ?? null, b?.conversations ?? null, null, null, null],
    ...rows.map((r) => [r.label, r.a, r.b, r.difference === null ? null : Math.round(r.difference * 1000) / 10, r.verdict, r.p]),
  ];
  const select = (id: string, label: string, value: string | null, set: (v: string) => void) => (
    <div class="control control--inline">
      <label for={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => set(e.currentTarget.value)}>
        {releases.map((r) => (
          <option key={r.key} value={r.key}>
            {r.key} ({formatCount(r.conversations)})
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section class="panel card" aria-labelledby="compare-title">
      <div class="panel__head">
        <h2 id="compare-title">Compare</h2>
        <div class="panel__tools">
          <div class="segmented" role="group" aria-label="Compare what">
            {(
              [
                ['periods', 'Periods'],
                ['releases', 'Releases'],
              ] as Array<[CompareMode, string]>
            ).map(([id, label]) => (
              <button key={id} type="button" class="segmented__option" aria-pressed={mode === id} onClick={() => (compareMode.value = id)}>
                {label}
              </button>
            ))}
          </div>
          {mode === 'releases' && releases.length >= 2 && (
            <>
              {select('compare-a', 'Before', labelA, (v) => (compareA.value = v))}
              {select('compare-b', 'After', labelB, (v) => (compareB.value = v))}
            </>
          )}
          <CsvButton name="compare" label="the comparison" header={header} rows={csvRows} />
        </div>
      </div>
      {mode === 'releases' && releases.length < 2 ? (
        <p class="empty">Fewer than two releases in this period. Label releases with the widget's data-release attribute.</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="compare-title" tabIndex={0}>
          <table class="table" data-table="compare">
            <caption class="sr-only">
              {labelA} compared with {labelB}; a difference is called better or worse only when a two-proportion test puts it beyond noise (p below 0.05)
            </caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" class="num">
                  {labelA}
                </th>
                <th scope="col" class="num">
                  {labelB}
                </th>
                <th scope="col" class="num">
                  Difference
                </th>
                <th scope="col">Beyond noise?</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Conversations</th>
                <td class="num">{formatCount(a?.conversations)}</td>
                <td class="num">{formatCount(b?.conversations)}</td>
                <td class="num">—</td>
                <td />
              </tr>
              {rows.map((r) => (
                <tr key={r.metric} data-compare={r.metric} data-verdict={r.verdict}>
                  <th scope="row">{r.label}</th>
                  <td class="num">
                    {formatPercent(r.a, 1)}
                    <span class="cell-sub"> n={formatCount(r.nA)}</span>
                  </td>
                  <td class="num">
                    {formatPercent(r.b, 1)}
                    <span class="cell-sub"> n={formatCount(r.nB)}</span>
                  </td>
                  <td class="num">{points(r.difference)}</td>
                  <td>
                    <Verdict row={r} />
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
