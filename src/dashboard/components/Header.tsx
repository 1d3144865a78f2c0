import { useSignal } from '@preact/signals';
import { PERIODS, exportCsv, period, signOut, siteKey, sites, type PeriodId } from '../state.ts';
import { Logo } from './Logo.tsx';

export function Header() {
  const exporting = useSignal(false);
  const exportError = useSignal<string | null>(null);

  const onExport = async () => {
    exporting.value = true;
    exportError.value = await exportCsv();
    exporting.value = false;
  };

  return (
    <header class="topbar">
      <div class="topbar__inner">
        <a class="brand" href="/" aria-label="ChatPulse dashboard">
          <Logo />
          <span>ChatPulse</span>
        </a>
        <div class="topbar__controls" role="group" aria-label="Dashboard controls">
          <div class="control">
            <label for="site-picker">Site</label>
            <select id="site-picker" value={siteKey.value ?? ''} onChange={(e) => (siteKey.value = e.currentTarget.value)} disabled={sites.value.length === 0}>
              {sites.value.length === 0 && <option value="">No sites</option>}
              {sites.value.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.name && s.name !== s.key ? `${s.name} (${s.key})` : s.key}
                  {s.enabled ? '' : ' — disabled'}
                </option>
              ))}
            </select>
          </div>
          <div class="control">
            <label for="period-picker">Period</label>
            <select id="period-picker" value={period.value} onChange={(e) => (period.value = e.currentTarget.value as PeriodId)}>
              {PERIODS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <button type="button" class="button" onClick={onExport} disabled={exporting.value || !siteKey.value} aria-describedby={exportError.value ? 'export-error' : undefined}>
            <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
              <path d="M10 3v9m0 0l-3.5-3.5M10 12l3.5-3.5M4 14v2h12v-2" />
            </svg>
            {exporting.value ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" class="button button--ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </div>
      {exportError.value && (
        <p id="export-error" class="topbar__error" role="alert">
          {exportError.value}
        </p>
      )}
    </header>
  );
}
