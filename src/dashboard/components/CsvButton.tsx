import { downloadCsv } from '../download.ts';
import { period, siteKey } from '../state.ts';

/** "Download CSV" for a table on screen: what is shown, as CSV, named after site, table and period. */
export function CsvButton({ name, label, header, rows }: { name: string; label: string; header: readonly string[]; rows: () => ReadonlyArray<readonly unknown[]> }) {
  const onClick = () => downloadCsv(`chatpulse-${siteKey.value ?? 'site'}-${name}-${period.value}.csv`, header, rows());
  return (
    <button type="button" class="button button--small button--ghost" onClick={onClick} data-csv={name}>
      CSV<span class="sr-only"> of {label}</span>
    </button>
  );
}
