// The outcome-rate columns that the breakdown and intent tables share: their headers and cells.
import type { MetricValues } from '../api.ts';
import { formatPercent } from '../format.ts';

export function RateHeaders() {
  return (
    <>
      <th scope="col" class="num">
        Resolution
      </th>
      <th scope="col" class="num">
        Escalation
      </th>
      <th scope="col" class="num">
        Abandonment
      </th>
    </>
  );
}

export function RateCells({ m }: { m: MetricValues }) {
  return (
    <>
      <td class="num">{formatPercent(m.resolutionRate, 0)}</td>
      <td class="num">{formatPercent(m.escalationRate, 0)}</td>
      <td class="num">{formatPercent(m.abandonmentRate, 0)}</td>
    </>
  );
}
