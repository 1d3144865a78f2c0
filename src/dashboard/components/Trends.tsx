// Volume and outcome rates per day, with a marker where each release started: the chart a site
// owner reads first after shipping a change. uPlot draws on a canvas; the same numbers are one
// click away as a table (for screen readers and exact values).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount, formatDayKey } from '../format.ts';
import { metrics } from '../state.ts';
import { dailySeries, releaseMarkers, type DailySeries, type ReleaseMarker } from '../series.ts';
import { CsvButton } from './CsvButton.tsx';

const dayLabel = (day: number) => formatDayKey(new Date(day * 1000).toISOString().slice(0, 10));

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Draws a dashed vertical line and the release name at each marker (the current ones, read at each draw). */
function markerPlugin(markersNow: () => readonly ReleaseMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const markers = markersNow();
        const ctx = u.ctx;
        const color = cssVar('--accent');
        ctx.save();
        ctx.strokeStyle = color;
        ctx.fillStyle = color;
        ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.lineWidth = devicePixelRatio;
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        for (const m of markers) {
          const x = Math.round(u.valToPos(m.at, 'x', true));
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillText(m.release, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

function chartOptions(width: number, markers: () => readonly ReleaseMarker[]): uPlot.Options {
  const muted = cssVar('--muted');
  const grid = { stroke: cssVar('--border'), width: 1 };
  const axis = { stroke: muted, grid, ticks: grid };
  return {
    width,
    height: 260,
    plugins: [markerPlugin(markers)],
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, count: { range: (_u, _min, max) => [0, Math.max(4, max * 1.15)] }, pct: { range: [0, 100] } },
    axes: [
      { ...axis },
      { ...axis, scale: 'count', label: 'Conversations', size: 56 },
      { ...axis, scale: 'pct', side: 1, label: '%', size: 48, grid: { show: false } },
    ],
    series: [
      {},
      { label: 'Conversations', scale: 'count', stroke: muted, fill: `${cssVar('--border')}`, width: 1, paths: uPlot.paths.bars?.({ size: [0.6, 40] }) },
      { label: 'Resolution %', scale: 'pct', stroke: cssVar('--good'), width: 2, spanGaps: true },
      { label: 'Escalation %', scale: 'pct', stroke: cssVar('--escalation'), width: 2, spanGaps: true },
      { label: 'Abandonment %', scale: 'pct', stroke: cssVar('--bad'), width: 2, spanGaps: true },
    ],
  };
}

const alignedData = (s: DailySeries) => [s.days, s.conversations, s.resolution, s.escalation, s.abandonment] as uPlot.AlignedData;

/**
 * One uPlot instance for the life of the panel: a refresh (every few seconds) hands it new data,
 * and only a change of theme (its colours) builds it again.
 */
function Chart({ series, markers }: { series: DailySeries; markers: readonly ReleaseMarker[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef({ series, markers });
  latest.current = { series, markers };
  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const build = () => {
      chart.current?.destroy();
      chart.current = new uPlot(chartOptions(target.clientWidth || 600, () => latest.current.markers), alignedData(latest.current.series), target);
    };
    build();
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: target.clientWidth || 600, height: 260 }));
    resize.observe(target);
    // Colours come from the theme: rebuild when light/dark changes.
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', build);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', build);
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setData(alignedData(series));
  }, [series, markers]);
  return <div class="trends__chart" ref={box} aria-hidden="true" />;
}

export function Trends() {
  const m = metrics.value;
  const days = m?.groupings?.day;
  if (!m || !days) return null;
  const from = new Date(m.from);
  const series = dailySeries(days, from, new Date(m.to));
  const markers = releaseMarkers(m.groupings?.release ?? [], from);
  const header = ['Day', 'Conversations', 'Resolution %', 'Escalation %', 'Abandonment %'];
  const rows = () => series.days.map((d, i) => [new Date(d * 1000).toISOString().slice(0, 10), series.conversations[i], series.resolution[i], series.escalation[i], series.abandonment[i]]);
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v}%`);
  return (
    <section class="panel card trends" aria-labelledby="trends-title">
      <div class="panel__head">
        <h2 id="trends-title">Trends</h2>
        <CsvButton name="trends" label="the daily trends" header={header} rows={rows} />
      </div>
      <figure class="trends__figure">
        <Chart series={series} markers={markers} />
        <figcaption class="trends__caption">
          Conversations per day (bars) with resolution, escalation and abandonment rates (lines).
          {markers.length > 0 ? (
            <>
              {' '}
              Releases started:{' '}
              {markers.map((mk, i) => (
                <span key={mk.release} data-release-marker={mk.release}>
                  {i > 0 && ', '}
                  <strong>{mk.release}</strong> on {dayLabel(mk.at)}
                </span>
              ))}
              .
            </>
          ) : (
            ' No new release started in this period.'
          )}
        </figcaption>
      </figure>
      <details class="trends__data">
        <summary>Show the numbers</summary>
        <div class="table-scroll" role="region" aria-label="Daily trends" tabIndex={0}>
          <table class="table">
            <caption class="sr-only">Conversations and outcome rates per day</caption>
            <thead>
              <tr>
                {header.map((h, i) => (
                  <th key={h} scope="col" class={i > 0 ? 'num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {series.days.map((d, i) => (
                <tr key={d}>
                  <th scope="row">{dayLabel(d)}</th>
                  <td class="num">{formatCount(series.conversations[i])}</td>
                  <td class="num">{cell(series.resolution[i])}</td>
                  <td class="num">{cell(series.escalation[i])}</td>
                  <td class="num">{cell(series.abandonment[i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
