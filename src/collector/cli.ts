// `npx chatpulse sites …` (bin/chatpulse.mjs) and `npm run sites -- …`: manages the site registry
// in the database named by CHATPULSE_DB (the same default as `npm start`), or `--db`. Works while
// collectors run: they resolve keys through a cache of at most 1 s, so changes apply within a second.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openStore } from './server.ts';
import {
  DEFAULT_KEY_GRACE_MS,
  SiteConflictError,
  SiteInputError,
  addSite,
  findSite,
  keyState,
  parseDuration,
  rotateSiteKey,
  updateSite,
} from './sites.ts';
import type { CollectorStore, SiteWithKeys } from './store/types.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const DEFAULT_DB = resolve(PROJECT_ROOT, '.chatpulse/chatpulse.db');

export const USAGE = `Usage: chatpulse sites <command> [options]

Commands
  list [--json]                          sites, their public keys and allowed origins
  add <id> --origin <pattern>…           create a site (prints its public key, the data-site value)
        [--name <name>] [--key <key>] [--disabled]
  origins <id>                           show the allowed origins
        [--add <pattern>]… [--remove <pattern>]… [--set <pattern>]…
  enable <id> | disable <id>             accept or refuse the site's beacons (403 while disabled)
  rotate-key <id> [--grace 7d] [--key <key>]
                                         issue a new public key; older keys keep working for the
                                         grace period (7d, 36h, 90m, 0 = revoke them now)
  revoke-key <id> <key>                  refuse one key from now on
  remove <id> [--purge]                  delete the site and its keys (--purge: and its conversations)

Origin patterns: https://shop.example, https://*.shop.example (subdomains), http://localhost:* (any port).
Database: --db <path or postgres:// URL>, else CHATPULSE_DB, else ${DEFAULT_DB}.`;

/** A usage error: printed with the usage text, exit code 2. */
class UsageError extends Error {}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs one command; resolves with the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = consoleIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!parsed) {
    io.out(USAGE);
    return 0;
  }
  const store = await openStore(parsed.values.db ?? env.CHATPULSE_DB ?? DEFAULT_DB);
  try {
    await run(store, parsed, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof SiteInputError || error instanceof SiteConflictError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      origin: { type: 'string', multiple: true },
      add: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      name: { type: 'string' },
      key: { type: 'string' },
      grace: { type: 'string' },
      disabled: { type: 'boolean' },
      purge: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return null;
  if (positionals[0] !== 'sites') throw new UsageError(`unknown command: ${positionals[0]}`);
  if (positionals.length < 2) return null;
  return { values, command: positionals[1]!, args: positionals.slice(2) };
}

type Parsed = NonNullable<ReturnType<typeof parse>>;

async function run(store: CollectorStore, { values, command, args }: Parsed, io: CliIo): Promise<void> {
  const id = (): string => {
    if (!args[0]) throw new UsageError(`${command}: the site id is missing`);
    return args[0];
  };
  const existing = async (): Promise<SiteWithKeys> => {
    const site = await findSite(store, id());
    if (!site) throw new SiteInputError([{ path: 'id', message: `no site ${JSON.stringify(id())}` }]);
    return site;
  };

  switch (command) {
    case 'list': {
      const sites = await store.listSites();
      if (values.json) io.out(JSON.stringify(sites, null, 2));
      else if (sites.length === 0) io.out('No sites. Add one: chatpulse sites add <id> --origin https://your.site');
      else for (const site of sites) io.out(describe(site));
      return;
    }
    case 'add': {
      if (!values.origin?.length) throw new UsageError('add: at least one --origin is required (beacons from other origins get 403)');
      const site = await addSite(store, { id: id(), name: values.name, origins: values.origin, enabled: !values.disabled, key: values.key });
      io.out(describe(site));
      io.out(`\nPage snippet: <script src="https://YOUR-COLLECTOR/chatpulse.js" data-site="${site.keys[0]!.key}" defer></script>`);
      return;
    }
    case 'origins': {
      const site = await existing();
      let origins = values.set ?? site.origins;
      if (values.add) origins = [...origins, ...values.add];
      if (values.remove) {
        const unknown = values.remove.filter((o) => !origins.includes(o));
        if (unknown.length > 0) throw new SiteInputError([{ path: 'origins', message: `not in the list: ${unknown.join(', ')}` }]);
        origins = origins.filter((o) => !values.remove!.includes(o));
      }
      const updated = values.set || values.add || values.remove ? await updateSite(store, site.key, { origins }) : site;
      for (const origin of updated!.origins) io.out(origin);
      if (updated!.origins.length === 0) io.err('warning: no origins: every beacon of this site gets 403');
      return;
    }
    case 'enable':
    case 'disable': {
      const updated = await updateSite(store, id(), { enabled: command === 'enable' });
      if (!updated) throw new SiteInputError([{ path: 'id', message: `no site ${JSON.stringify(id())}` }]);
      io.out(`${updated.key}: ${updated.enabled ? 'enabled' : 'disabled (beacons get 403)'}`);
      return;
    }
    case 'rotate-key': {
      const graceMs = values.grace === undefined ? DEFAULT_KEY_GRACE_MS : parseDuration(values.grace);
      if (graceMs === null) throw new UsageError(`rotate-key: --grace must look like 7d, 36h, 90m or 0 (at most 365d), got ${values.grace}`);
      const rotated = await rotateSiteKey(store, id(), { graceMs, key: values.key });
      if (!rotated) throw new SiteInputError([{ path: 'id', message: `no site ${JSON.stringify(id())}` }]);
      io.out(`new key: ${rotated.key}`);
      io.out(graceMs === 0 ? 'older keys: revoked now' : `older keys: valid until ${new Date(rotated.oldKeysExpireAt).toISOString()}`);
      io.out(describe(rotated.site));
      return;
    }
    case 'revoke-key': {
      const site = await existing();
      const key = args[1];
      if (!key) throw new UsageError('revoke-key: the key is missing');
      if (!(await store.expireSiteKey(site.key, key, Date.now()))) throw new SiteInputError([{ path: 'key', message: `${site.key} has no key ${JSON.stringify(key)}` }]);
      io.out(`${key}: revoked`);
      return;
    }
    case 'remove': {
      const site = await existing();
      await store.deleteSite(site.key);
      const purged = values.purge ? await store.deleteBefore(8.64e15, site.key) : 0;
      io.out(`${site.key}: removed${values.purge ? `, ${purged} conversations deleted` : ' (its conversations stay until retention; --purge deletes them)'}`);
      return;
    }
    default:
      throw new UsageError(`unknown sites command: ${command}`);
  }
}

function describe(site: SiteWithKeys, now = Date.now()): string {
  const lines = [`${site.key}${site.name !== site.key ? ` (${site.name})` : ''}: ${site.enabled ? 'enabled' : 'DISABLED'}`];
  for (const key of site.keys) {
    const state = keyState(key, now);
    const note = state === 'active' ? 'active' : `${state === 'expiring' ? 'valid until' : 'expired'} ${new Date(key.expiresAt!).toISOString()}`;
    lines.push(`  key     ${key.key}  ${note}`);
  }
  for (const origin of site.origins) lines.push(`  origin  ${origin}`);
  if (site.origins.length === 0) lines.push('  origin  (none: every beacon gets 403)');
  return lines.join('\n');
}
