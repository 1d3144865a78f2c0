// Reads every data-* attribute of the script tag in one place, with the defaults of DESIGN.md.
import type { Config } from '../types.ts';

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;

export type ConfigInput = Partial<Config> & { site: string };

export function configFromScript(script: HTMLScriptElement): ConfigInput | null {
  const data = script.dataset;
  const site = data.site?.trim();
  if (!site) return null;
  const src = script.src || location.href;
  const onOff = (value: string | undefined, fallback: boolean, on: string): boolean =>
    value === undefined ? fallback : value.trim().toLowerCase() === on;
  const idle = Number(data.idleTimeout);
  const theme = data.theme;
  const hostThumbs = data.thumbs?.trim().toLowerCase() === 'host';
  return {
    site,
    collector: data.collector || new URL(src, location.href).origin,
    preset: data.preset || 'generic',
    chat: data.chat || null,
    botMessage: data.botMessage || null,
    userMessage: data.userMessage || null,
    handoff: data.handoff || null,
    end: data.end || null,
    thumbs: hostThumbs || onOff(data.thumbs, true, 'on'),
    thumbsMode: hostThumbs ? 'host' : 'own',
    thumbsUp: data.thumbsUp || null,
    thumbsDown: data.thumbsDown || null,
    csat: onOff(data.csat, true, 'end'),
    idleTimeoutSeconds: Number.isFinite(idle) && idle > 0 ? idle : DEFAULT_IDLE_TIMEOUT_SECONDS,
    release: data.release || null,
    traceAttribute: data.traceAttribute || 'data-trace-id',
    locale: data.locale || null,
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    csatPlacement: data.csatPlacement === 'inline' ? 'inline' : 'corner',
    captureText: onOff(data.captureText, false, 'on'),
    consent: data.consent === 'required' ? 'required' : 'granted',
    privacySignals: data.privacySignals === 'ignore' ? 'ignore' : 'respect',
    debug: data.debug !== undefined && data.debug !== 'false' && data.debug !== 'off',
    nonce: script.nonce || script.getAttribute('nonce') || null,
  };
}

export function resolveConfig(input: ConfigInput): Config {
  return {
    collector: location.origin,
    preset: 'generic',
    chat: null,
    botMessage: null,
    userMessage: null,
    handoff: null,
    end: null,
    thumbs: true,
    thumbsMode: 'own',
    thumbsUp: null,
    thumbsDown: null,
    csat: true,
    idleTimeoutSeconds: DEFAULT_IDLE_TIMEOUT_SECONDS,
    release: null,
    traceAttribute: 'data-trace-id',
    locale: null,
    theme: 'auto',
    csatPlacement: 'corner',
    captureText: false,
    consent: 'granted',
    privacySignals: 'respect',
    debug: false,
    nonce: null,
    ...stripUndefined(input),
    site: input.site,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
