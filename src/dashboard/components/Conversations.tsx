import type { Outcome, Summary } from '../api.ts';
import { DASH, formatFull, formatWhen, pagePath } from '../format.ts';
import { OUTCOME_FILTERS, SIGNAL_FILTERS, conversations, outcomeFilter, signalFilter } from '../state.ts';
import type { ConversationSignal } from '../api.ts';
import { CsvButton } from './CsvButton.tsx';
import { CommentIcon, ThumbIcon } from './Icons.tsx';
import { traceHref, traceTemplate } from '../integrations.ts';

const END_REASONS: Record<string, string> = {
  idle: 'Idle timeout',
  end: 'Closed',
  handoff: 'Handoff',
  exit: 'Left page',
  api: 'API',
};

const MAX_CHIPS = 1;

export function OutcomeBadge({ outcome, resolution }: { outcome: Outcome | null; resolution: Summary['resolution'] }) {
  if (!outcome) return <span class="badge badge--open">Open</span>;
  const label = outcome.charAt(0).toUpperCase() + outcome.slice(1);
  return (
    <span class={`badge badge--${outcome}`}>
      {label}
      {outcome === 'resolved' && resolution && (
        <span class="badge__note">
          <span aria-hidden="true">·</span>
          <span class="sr-only">,</span> {resolution}
        </span>
      )}
    </span>
  );
}

function TraceChip({ id, vote }: { id: string; vote: 'up' | 'down' | undefined }) {
  const className = `chip${vote ? ` chip--${vote}` : ''}`;
  const title = vote ? `${id} (rated ${vote === 'up' ? 'helpful' : 'not helpful'})` : id;
  const content = (
    <>
      {vote && <ThumbIcon vote={vote} />}
      {vote && <span class="sr-only">{vote === 'up' ? 'rated helpful: ' : 'rated not helpful: '}</span>}
      {id}
    </>
  );
  // With the site's trace link template, the chip opens the trace in the LLM observability tool.
  const href = traceHref(traceTemplate.value, id);
  return href ? (
    <a class={`${className} chip--link`} title={`${title}: open the trace`} href={href} target="_blank" rel="noopener noreferrer">
      {content}
    </a>
  ) : (
    <code class={className} title={title}>
      {content}
    </code>
  );
}

/** The first trace id as a chip (rated answers first); the rest behind a "+N" disclosure. */
function TraceChips({ summary }: { summary: Summary }) {
  if (summary.traceIds.length === 0) return <span class="muted">{DASH}</span>;
  const votes = new Map<string, 'up' | 'down'>();
  for (const r of summary.ratings) if (r.traceId) votes.set(r.traceId, r.value);
  // Thumbs-down first, then thumbs-up: those are the traces worth opening.
  const rank = (id: string) => (votes.get(id) === 'down' ? 0 : votes.get(id) === 'up' ? 1 : 2);
  const ordered = [...new Set(summary.traceIds)].sort((a, b) => rank(a) - rank(b));
  const first = ordered.slice(0, MAX_CHIPS);
  const rest = ordered.slice(MAX_CHIPS);
  return (
    <span class="chips">
      {first.map((id) => (
        <TraceChip key={id} id={id} vote={votes.get(id)} />
      ))}
      {rest.length > 0 && (
        <details class="more">
          <summary>
            +{rest.length}
            <span class="sr-only"> more trace ids</span>
          </summary>
          <span class="chips chips--all">
            {rest.map((id) => (
              <TraceChip key={id} id={id} vote={votes.get(id)} />
            ))}
          </span>
        </details>
      )}
    </span>
  );
}

function Row({ s, now }: { s: Summary; now: Date }) {
  const path = pagePath(s.page);
  return (
    <tr data-conversation-id={s.id}>
      <td class="nowrap">
        <time dateTime={s.startedAt} title={formatFull(s.startedAt)}>
          {formatWhen(s.startedAt, now)}
        </time>
      </td>
      <td class="cell-page">
        <span class="truncate" title={s.page}>
          {path}
        </span>
      </td>
      <td class="nowrap">{s.release ?? <span class="muted">{DASH}</span>}</td>
      <td class="nowrap">
        {s.intent ?? <span class="muted">{DASH}</span>}
        {s.simulated && <span class="badge badge--sim">Simulated</span>}
      </td>
      <td class="num nowrap">
        <span aria-hidden="true">
          {s.messages.user} / {s.messages.bot}
        </span>
        <span class="sr-only">
          {s.messages.user} from the user, {s.messages.bot} from the bot
        </span>
      </td>
      <td class="nowrap">
        {s.thumbs.up + s.thumbs.down === 0 ? (
          <span class="muted">{DASH}</span>
        ) : (
          <>
            <span class="thumbs" aria-hidden="true">
              <ThumbIcon vote="up" />
              {s.thumbs.up}
              <ThumbIcon vote="down" />
              {s.thumbs.down}
            </span>
            <span class="sr-only">
              {s.thumbs.up} helpful, {s.thumbs.down} not helpful
            </span>
          </>
        )}
      </td>
      <td class="nowrap">
        {s.csat ? (
          <span class={`csat csat--${s.csat.score >= 4 ? 'good' : s.csat.score <= 2 ? 'bad' : 'mid'}`}>
            {s.csat.score}/5
            {s.csat.comment && (
              <span class="csat__comment" title={s.csat.comment}>
                <CommentIcon />
                <span class="sr-only">, comment: {s.csat.comment}</span>
              </span>
            )}
          </span>
        ) : (
          <span class="muted">{s.csatShown ? 'No answer' : DASH}</span>
        )}
      </td>
      <td>
        <OutcomeBadge outcome={s.outcome} resolution={s.resolution} />
      </td>
      <td class="nowrap">{s.endReason ? END_REASONS[s.endReason] ?? s.endReason : <span class="muted">In progress</span>}</td>
      <td>
        <TraceChips summary={s} />
      </td>
    </tr>
  );
}

export function Conversations({ totalInPeriod }: { totalInPeriod: number | null }) {
  const list = conversations.value;
  const filter = outcomeFilter.value;
  const signal = signalFilter.value;
  const now = new Date();
  const filterLabel = OUTCOME_FILTERS.find((f) => f.id === filter)?.label.toLowerCase() ?? '';
  const signalLabel = SIGNAL_FILTERS.find((f) => f.id === signal)?.label.toLowerCase() ?? '';
  const filtered = filter !== 'all' || signal !== 'all';
  const describeFilter = [filter === 'all' ? '' : `outcome ${filterLabel}`, signal === 'all' ? '' : `a ${signalLabel}`].filter(Boolean).join(' and ');
  const header = ['id', 'startedAt', 'page', 'release', 'intent', 'userMessages', 'botMessages', 'thumbsUp', 'thumbsDown', 'csat', 'outcome', 'resolution', 'endReason', 'negativeStreak', 'simulated', 'traceIds'];
  const rows = () =>
    (list ?? []).map((s) => [s.id, s.startedAt, s.page, s.release, s.intent, s.messages.user, s.messages.bot, s.thumbs.up, s.thumbs.down, s.csat?.score ?? null, s.outcome, s.resolution, s.endReason, s.negativeStreak ?? 0, s.simulated ?? false, s.traceIds.join(' ')]);

  return (
    <section class="panel card" aria-labelledby="conversations-title">
      <div class="panel__head">
        <h2 id="conversations-title">Recent conversations</h2>
        <div class="control control--inline">
          <label for="outcome-filter">Outcome</label>
          <select id="outcome-filter" value={filter} onChange={(e) => (outcomeFilter.value = e.currentTarget.value as Outcome | 'all')}>
            {OUTCOME_FILTERS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div class="control control--inline">
          <label for="signal-filter">Signal</label>
          <select id="signal-filter" value={signal} onChange={(e) => (signalFilter.value = e.currentTarget.value as ConversationSignal | 'all')}>
            {SIGNAL_FILTERS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <CsvButton name="conversations" label="the conversations shown" header={header} rows={rows} />
      </div>
      {list === null ? (
        <p class="empty">Loading conversations…</p>
      ) : list.length === 0 ? (
        !filtered && !totalInPeriod ? (
          <div class="empty">
            <p class="empty__title">No conversations yet</p>
            <p>
              Open the demo chat at{' '}
              <a href="/demo/" target="_blank" rel="noopener">
                /demo/
              </a>{' '}
              and talk to the bot. Conversations appear here within seconds of ending.
            </p>
          </div>
        ) : (
          <p class="empty">{filtered ? `No conversations with ${describeFilter} in this period.` : 'No conversations in this period.'}</p>
        )
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="conversations-title" tabIndex={0}>
          <table class="table table--conversations">
            <caption class="sr-only">
              The {list.length} most recent conversations{filtered ? ` with ${describeFilter}` : ''}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Page</th>
                <th scope="col">Release</th>
                <th scope="col">Intent</th>
                <th scope="col" class="num">
                  <abbr title="Messages from the user / from the bot">Msgs</abbr>
                  <span class="th-sub">user / bot</span>
                </th>
                <th scope="col">Thumbs</th>
                <th scope="col">CSAT</th>
                <th scope="col">Outcome</th>
                <th scope="col">End reason</th>
                <th scope="col">Trace ids</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <Row key={s.id} s={s} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
