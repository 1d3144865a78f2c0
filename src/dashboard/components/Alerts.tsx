import { traceHref, openAlerts, traceTemplate, type AlertRecord } from '../integrations.ts';

const METRIC_LABELS: Record<AlertRecord['metric'], string> = {
  resolution: 'Resolution',
  escalation: 'Escalation',
  abandonment: 'Abandonment',
  csat: 'CSAT',
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

function Alert({ alert }: { alert: AlertRecord }) {
  const m = alert.metrics.find((x) => x.metric === alert.metric) ?? alert.metrics[0];
  const points = m ? Math.round(Math.abs(m.change) * 100) : 0;
  const verb = m && m.change < 0 ? 'fell' : 'rose';
  const template = traceTemplate.value;
  return (
    <li class="alert" data-alert-id={alert.id}>
      <p class="alert__title">
        {METRIC_LABELS[alert.metric]} for {alert.dimension} <strong>{alert.key}</strong> {verb} {points} points
        {m && (
          <span class="muted">
            {' '}
            ({pct(m.baseline)} → {pct(m.current)})
          </span>
        )}
      </p>
      <p class="alert__meta">
        {alert.release && (
          <>
            Release <code>{alert.release}</code>
            {alert.previousRelease && alert.previousRelease !== alert.release && (
              <>
                {' '}
                (was <code>{alert.previousRelease}</code>)
              </>
            )}
            {' · '}
          </>
        )}
        since <time dateTime={alert.createdAt}>{new Date(alert.createdAt).toLocaleString()}</time>
        {alert.exampleTraceIds.length > 0 && ' · traces: '}
        {alert.exampleTraceIds.map((id) => {
          const href = traceHref(template, id);
          return href ? (
            <a key={id} class="chip chip--link" href={href} target="_blank" rel="noopener noreferrer">
              {id}
            </a>
          ) : (
            <code key={id} class="chip">
              {id}
            </code>
          );
        })}
      </p>
    </li>
  );
}

/** Open alerts of the site (nothing when there are none). */
export function Alerts() {
  const list = openAlerts.value;
  if (list.length === 0) return null;
  return (
    <section class="panel card alerts" aria-labelledby="alerts-title">
      <div class="panel__head">
        <h2 id="alerts-title">Alerts</h2>
      </div>
      <ul class="alerts__list">
        {list.map((a) => (
          <Alert key={a.id} alert={a} />
        ))}
      </ul>
    </section>
  );
}
