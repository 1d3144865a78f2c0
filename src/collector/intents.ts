// A site's intents (name + keywords/patterns) live in the store's settings, one JSON list per
// site: small, read by every page load of the site (cached briefly), written rarely.
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { fieldIssues, type FieldIssue } from '../shared/summary-schema.ts';
import { IntentFileSchema, IntentListSchema, type IntentList } from '../intents/schema.ts';
import type { CollectorStore } from './store/types.ts';

const settingName = (site: string) => `intents:${site}`;

export async function getIntents(store: CollectorStore, site: string): Promise<IntentList> {
  const raw = await store.getSetting(settingName(site));
  if (!raw) return [];
  const parsed = v.safeParse(IntentListSchema, JSON.parse(raw));
  return parsed.success ? parsed.output : [];
}

export async function putIntents(store: CollectorStore, site: string, input: unknown): Promise<{ ok: true; intents: IntentList } | { ok: false; issues: FieldIssue[] }> {
  const parsed = v.safeParse(IntentListSchema, input);
  if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.issues, 'intents') };
  await store.setSetting(settingName(site), JSON.stringify(parsed.output));
  return { ok: true, intents: parsed.output };
}

/** Reads a CHATPULSE_INTENTS file (`{ "site": [intents…] }`) and stores each site's list. */
export async function importIntentFile(store: CollectorStore, path: string): Promise<string[]> {
  const parsed = v.safeParse(IntentFileSchema, JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issues = fieldIssues(parsed.issues).map((i) => `${i.path}: ${i.message}`);
    throw new Error(`${path} is not a valid intents file: ${issues.join('; ')}`);
  }
  for (const [site, list] of Object.entries(parsed.output)) await store.setSetting(settingName(site), JSON.stringify(list));
  return Object.keys(parsed.output);
}

/** Intents the demo site starts with, so the demo shows labelled conversations out of the box. */
export const DEMO_INTENTS: IntentList = [
  { name: 'billing', patterns: ['invoice', 'refund', 'charged', 'billing', 'payment', 'Rechnung', 'Erstattung', 'facture', 'remboursement', 'factura', 'reembolso', '請求'] },
  { name: 'password', patterns: ['password', 'log in', 'login', 'sign in', 'locked out', '2fa', 'Passwort', 'mot de passe', 'contraseña', 'パスワード'] },
  { name: 'deploy', patterns: ['deploy', 'deployment', 'build failed', 'rollback', 'release', 'Bereitstellung', 'déploiement', 'despliegue'] },
  { name: 'pricing', patterns: ['price', 'pricing', 'plan', 'upgrade', 'cost', 'Preis', 'prix', 'precio'] },
  { name: 'outage', patterns: ['down', 'outage', 'not loading', '502', '503', 'timeout', 'Ausfall', 'panne', 'caído'] },
];
