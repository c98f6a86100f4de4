import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { ProblemBox } from '../components.js';
import { dateTime } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import s from '../ui.module.css';

interface Health {
  configured: Record<string, boolean>;
  topics: {
    topic: string;
    pending: number;
    dead: number;
    delivered: number;
    oldestPendingAgeMs: number;
    lastSuccessAt: string | null;
  }[];
  deadLetters: { id: string; topic: string; key: string; attempts: number; reason: string }[];
}

/** The outbox's topics, named for an officer (unknown topics show as they are). */
const TOPIC_KEY: Record<string, MessageKey> = {
  'population.verify': 'health.topic.population',
  'civilstatus.register': 'health.topic.civilStatus',
  'civilstatus.newborn': 'health.topic.newborn',
  'portal.status': 'health.topic.portal',
  'notify.sms': 'health.topic.sms',
  'notify.email': 'health.topic.email',
  'treasury.revenue': 'admin.fees.healthTopic',
};

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * The integration-health panel of the dashboard: per national system, what waits and for how long, what
 * failed for good and why, the last success; a unit admin resends a dead letter once its cause is fixed.
 */
export function HealthPanel({ canResend }: { canResend: boolean }) {
  const { t, lang } = useI18n();
  const [h, setH] = useState<Health>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(
    () =>
      api<Health>('/api/integrations/health').then(
        (r) => {
          setH(r);
          setError(undefined);
        },
        (e) => e instanceof ApiError && setError(e),
      ),
    [],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [load]);
  const name = (topic: string) => (TOPIC_KEY[topic] ? t(TOPIC_KEY[topic]) : topic);
  return (
    <section className={s.card} aria-labelledby="health" data-testid="health">
      <h2 id="health">{t('health.title')}</h2>
      <ProblemBox error={error} />
      {h && h.topics.length === 0 && <p className={s.help}>{t('health.none')}</p>}
      {h && h.topics.length > 0 && (
        <div className={s.tableWrap}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">{t('health.system')}</th>
                <th scope="col">{t('health.pending')}</th>
                <th scope="col">{t('health.oldest')}</th>
                <th scope="col">{t('health.dead')}</th>
                <th scope="col">{t('health.delivered')}</th>
                <th scope="col">{t('health.lastSuccess')}</th>
              </tr>
            </thead>
            <tbody>
              {h.topics.map((x) => (
                <tr key={x.topic}>
                  <td>{name(x.topic)}</td>
                  <td>{x.pending}</td>
                  <td>{x.pending > 0 ? t('health.minutes', { n: minutes(x.oldestPendingAgeMs) }) : '—'}</td>
                  <td>{x.dead > 0 ? <span className={`${s.badge} ${s.overdue}`}>{x.dead}</span> : 0}</td>
                  <td>{x.delivered}</td>
                  <td>{x.lastSuccessAt ? dateTime(x.lastSuccessAt, lang) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {h && h.deadLetters.length > 0 && (
        <>
          <h3>{t('health.deadLetters')}</h3>
          <ul data-testid="dead-letters">
            {h.deadLetters.map((d) => (
              <li key={d.id}>
                <strong>{name(d.topic)}</strong> · {d.key} · {t('health.attempts', { n: d.attempts })}
                <div className={s.help}>{d.reason}</div>
                {canResend && (
                  <button
                    type="button"
                    className={s.btnSecondary}
                    onClick={() =>
                      api(`/api/integrations/messages/${d.id}/resend`, { method: 'POST', body: {} }).then(
                        load,
                        (e) => e instanceof ApiError && setError(e),
                      )
                    }
                  >
                    {t('health.resend')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
