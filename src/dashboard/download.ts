// Saving a file from the dashboard: a Blob behind a temporary object URL and a clicked link.
import { csvLine } from '../collector/csv.ts';

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A table as CSV (formula-safe, like the collector's export): a header row, then the rows. */
export function tableCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map(csvLine).join('');
}

export function downloadCsv(filename: string, header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): void {
  downloadBlob(new Blob([tableCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), filename);
}
