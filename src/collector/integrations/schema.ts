// Tables of the integrations (forwarders, their outbox, forward state, alerts), appended to each
// store's migrations. Written with IF NOT EXISTS so the migration stays harmless if migrations of
// concurrent work are reordered around it.

export const SQLITE_INTEGRATIONS_MIGRATION = `
  CREATE TABLE IF NOT EXISTS forwarders (
    site TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    config TEXT NOT NULL,
    events TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (site, id)
  );
  CREATE TABLE IF NOT EXISTS forward_state (
    site TEXT NOT NULL,
    conversation TEXT NOT NULL,
    revision INTEGER NOT NULL,
    items TEXT NOT NULL,
    updated_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site, conversation)
  );
  CREATE TABLE IF NOT EXISTS forward_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    forwarder TEXT NOT NULL,
    item_key TEXT NOT NULL,
    event_key TEXT NOT NULL,
    event TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    lease_token TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    UNIQUE (site, forwarder, event_key)
  );
  CREATE INDEX IF NOT EXISTS forward_outbox_due ON forward_outbox (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX IF NOT EXISTS forward_outbox_item ON forward_outbox (site, forwarder, item_key) WHERE status = 'pending';
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    condition_key TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    resolved_at INTEGER
  );
  CREATE UNIQUE INDEX IF NOT EXISTS alerts_open ON alerts (site, condition_key) WHERE resolved_at IS NULL;
  CREATE INDEX IF NOT EXISTS alerts_by_site ON alerts (site, created_at);`;

export const POSTGRES_INTEGRATIONS_MIGRATION = {
  version: 5,
  name: 'integrations: forwarders, outbox, alerts',
  sql: `
    CREATE TABLE IF NOT EXISTS forwarders (
      site text NOT NULL,
      id text NOT NULL,
      kind text NOT NULL,
      config text NOT NULL,
      events text,
      enabled boolean NOT NULL DEFAULT true,
      created_at bigint NOT NULL,
      PRIMARY KEY (site, id)
    );
    CREATE TABLE IF NOT EXISTS forward_state (
      site text NOT NULL,
      conversation text NOT NULL,
      revision bigint NOT NULL,
      items text NOT NULL,
      updated_at bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (site, conversation)
    );
    CREATE TABLE IF NOT EXISTS forward_outbox (
      id bigserial PRIMARY KEY,
      site text NOT NULL,
      forwarder text NOT NULL,
      item_key text NOT NULL,
      event_key text NOT NULL,
      event text NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at bigint NOT NULL,
      lease_until bigint,
      lease_token text,
      last_error text,
      created_at bigint NOT NULL,
      delivered_at bigint,
      UNIQUE (site, forwarder, event_key)
    );
    CREATE INDEX IF NOT EXISTS forward_outbox_due ON forward_outbox (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS forward_outbox_item ON forward_outbox (site, forwarder, item_key) WHERE status = 'pending';
    CREATE TABLE IF NOT EXISTS alerts (
      id text PRIMARY KEY,
      site text NOT NULL,
      condition_key text NOT NULL,
      details text NOT NULL,
      created_at bigint NOT NULL,
      last_seen_at bigint NOT NULL,
      resolved_at bigint
    );
    CREATE UNIQUE INDEX IF NOT EXISTS alerts_open ON alerts (site, condition_key) WHERE resolved_at IS NULL;
    CREATE INDEX IF NOT EXISTS alerts_by_site ON alerts (site, created_at);`,
} as const;
