// The rollup tables of the embedded store and the triggers that log every change of a
// conversation row into rollup_log (see sqlite-rollups.ts for how they are kept and read).
import { sqliteDialect } from './metrics-sql.ts';

export const DAY_MS = 86_400_000;

/** Additive per-conversation contributions, as SQL over a conversations row (`row` = its alias). */
export function contributions(row: string): Array<[column: string, expression: string]> {
  const flag = (condition: string) => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const rated = `${row}.end_reason IS NOT NULL AND ${row}.user_messages > 0`;
  const outcome = (value: string) => flag(`${rated} AND ${row}.outcome = '${value}'`);
  return [
    ['simulated', flag(`${row}.simulated`)],
    ['ended', flag(rated)],
    ['resolved', outcome('resolved')],
    ['resolved_explicit', flag(`${rated} AND ${row}.outcome = 'resolved' AND ${row}.resolution = 'explicit'`)],
    ['escalated', outcome('escalated')],
    ['abandoned', outcome('abandoned')],
    ['unresolved', outcome('unresolved')],
    ['csat_responses', flag(`${row}.csat_score IS NOT NULL`)],
    ['csat_good', flag(`${row}.csat_score >= 4`)],
    ['csat_sum', `COALESCE(${row}.csat_score, 0)`],
    ['csat_shown', flag(`${row}.csat_shown`)],
    ['csat_answered', flag(`${row}.csat_shown AND ${row}.csat_score IS NOT NULL`)],
    ['thumbs_up', `${row}.thumbs_up`],
    ['thumbs_down', `${row}.thumbs_down`],
    ['shift_sum', `COALESCE(${row}.sentiment_last - ${row}.sentiment_first, 0)`],
    ['shift_n', flag(`${row}.sentiment_first IS NOT NULL AND ${row}.sentiment_last IS NOT NULL`)],
    ['first_contact_resolved', flag(`${rated} AND ${row}.outcome = 'resolved' AND NOT ${row}.followed_up`)],
  ];
}

export const SUMS = ['conversations', ...contributions('c').map(([column]) => column)];
/** Columns of conversations whose change can change a rollup. */
const WATCHED = ['site', 'visitor', 'started_at', 'page', 'release', 'intent', 'simulated', 'end_reason', 'user_messages', 'outcome', 'resolution', 'csat_score', 'csat_shown', 'thumbs_up', 'thumbs_down', 'sentiment_first', 'sentiment_last', 'followed_up'];

export const day = (row: string) => sqliteDialect.dayIndex(`${row}.started_at`);
export const releaseKey = (row: string) => `COALESCE(${row}.release, '(none)')`;
export const intentKey = (row: string) => `COALESCE(${row}.intent, '(none)')`;

function logInsert(row: 'new' | 'old', sign: 1 | -1): string {
  const values = contributions(row).map(([, expression]) => (sign === 1 ? expression : `-${expression}`));
  return `INSERT INTO rollup_log (site, visitor, day, page, release, intent, ${SUMS.join(', ')})
    VALUES (${row}.site, ${row}.visitor, ${day(row)}, ${row}.page, ${releaseKey(row)}, ${intentKey(row)}, ${sign}, ${values.join(', ')});`;
}

const sumColumns = (type: string) => SUMS.map((column) => `${column} ${column === 'shift_sum' ? 'REAL' : type} NOT NULL`).join(',\n     ');

/** Tables and triggers; `rebuild` fills them from existing rows. */
export const ROLLUPS_MIGRATION = `
  CREATE TABLE rollup_log (
     id INTEGER PRIMARY KEY,
     site TEXT NOT NULL, visitor TEXT NOT NULL, day INTEGER NOT NULL, page TEXT NOT NULL, release TEXT NOT NULL, intent TEXT NOT NULL,
     ${sumColumns('INTEGER')}
   );
  CREATE TABLE rollup_cells (
     site TEXT NOT NULL, day INTEGER NOT NULL, page TEXT NOT NULL, release TEXT NOT NULL, intent TEXT NOT NULL,
     ${sumColumns('INTEGER')},
     PRIMARY KEY (site, day, page, release, intent)
   ) WITHOUT ROWID;
  CREATE TABLE rollup_scopes (id INTEGER PRIMARY KEY, site TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (site, kind, value));
  CREATE TABLE rollup_visitors (id INTEGER PRIMARY KEY, site TEXT NOT NULL, visitor TEXT NOT NULL, UNIQUE (site, visitor));
  -- Keyed by visitor first: both the gap lookups (a visitor's days in one scope) and the returning
  -- reconciliation (a visitor-day's scopes) read one visitor's few rows.
  CREATE TABLE rollup_visitor_days (
     visitor INTEGER NOT NULL, day INTEGER NOT NULL, scope INTEGER NOT NULL,
     conversations INTEGER NOT NULL,
     is_returning INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (visitor, day, scope)
   ) WITHOUT ROWID;
  CREATE TABLE rollup_gaps (scope INTEGER NOT NULL, day INTEGER NOT NULL, gap INTEGER NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (scope, day, gap)) WITHOUT ROWID;
  CREATE TRIGGER rollup_on_insert AFTER INSERT ON conversations BEGIN ${logInsert('new', 1)} END;
  CREATE TRIGGER rollup_on_delete AFTER DELETE ON conversations BEGIN ${logInsert('old', -1)} END;
  CREATE TRIGGER rollup_on_update AFTER UPDATE ON conversations
    WHEN ${WATCHED.map((column) => `old.${column} IS NOT new.${column}`).join(' OR ')}
    BEGIN ${logInsert('old', -1)} ${logInsert('new', 1)} END;`;

/** The dimensions a conversation is counted in; `+` marks the returning-visitor scope of each. */
export type Kind = 'all' | 'page' | 'release' | 'intent';
export const KINDS: readonly Kind[] = ['all', 'page', 'release', 'intent'];
