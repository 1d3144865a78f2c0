import type { MetricValues } from '../api.ts';
import { delta } from '../format.ts';
import { currentPeriod } from '../state.ts';
import { TILES, formatValue, type TileDef } from '../tiles.ts';

const ARROWS = { up: '▲', down: '▼', flat: '→', none: '' } as const;

/** Explicit vs inferred resolution as one stacked bar (SVG geometry, no inline styles). */
function ResolutionSplit({ m }: { m: MetricValues }) {
  const explicit = Math.max(0, Math.min(1, m.explicitResolutionRate ?? 0)) * 100;
  const inferred = Math.max(0, Math.min(100 - explicit, (m.inferredResolutionRate ?? 0) * 100));
  return (
    <div class="split" aria-hidden="true">
      <svg class="split__bar" viewBox="0 0 100 8" preserveAspectRatio="none" focusable="false">
        <rect class="split__rest" x="0" y="0" width="100" height="8" />
        <rect class="split__explicit" x="0" y="0" width={explicit} height="8" />
        <rect class="split__inferred" x={explicit} y="0" width={inferred} height="8" />
      </svg>
      <span class="split__legend">
        <span class="split__key split__key--explicit" />
        Explicit: CSAT 4–5, thumbs-up on the last answer, or resolve()
      </span>
      <span class="split__legend">
        <span class="split__key split__key--inferred" />
        Inferred: the user's last message was positive
      </span>
    </div>
  );
}

function Tile({ def, current, previous, period }: { def: TileDef; current: MetricValues | null; previous: MetricValues | null; period: string }) {
  const value = current ? def.value(current) : null;
  const d = current && previous ? delta(value, def.value(previous), def.kind, def.direction) : null;
  const detail = current && def.detail ? def.detail(current) : null;
  const labelId = `tile-${def.metric}-label`;
  const descId = `tile-${def.metric}-desc`;
  return (
    <div class="tile card" data-metric={def.metric} role="group" aria-labelledby={labelId} aria-describedby={descId}>
      <h3 class="tile__label" id={labelId}>
        {def.label}
      </h3>
      <p class="tile__value">{current ? formatValue(def.kind, value) : '—'}</p>
      <p class={`tile__delta tile__delta--${d?.tone ?? 'neutral'}`}>
        {d && d.trend !== 'none' ? (
          <>
            <span aria-hidden="true">
              {ARROWS[d.trend]} {d.text}
            </span>
            <span class="sr-only">{d.spoken}</span>
            <span class="tile__vs"> vs previous {period}</span>
          </>
        ) : (
          <span class="tile__vs">{d && value !== null ? `No data for the previous ${period}` : ''}</span>
        )}
      </p>
      {detail && <p class="tile__detail">{detail}</p>}
      {def.metric === 'resolutionRate' && current && current.resolutionRate !== null && <ResolutionSplit m={current} />}
      <p class="tile__desc" id={descId}>
        {def.description}
      </p>
    </div>
  );
}

export function Tiles({ data }: { data: { current: MetricValues; previous: MetricValues } | null }) {
  const period = currentPeriod.value.short;
  return (
    <div class="tiles">
      {TILES.map((def) => (
        <Tile key={def.metric} def={def} current={data?.current ?? null} previous={data?.previous ?? null} period={period} />
      ))}
    </div>
  );
}
