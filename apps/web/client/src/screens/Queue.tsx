import { useEffect, useState } from 'react';
import { ApiError, api, type Unit } from '../api.js';
import { Field, LangSwitch, ProblemBox } from '../components.js';
import { useI18n } from '../i18n/index.js';
import s from '../ui.module.css';

interface Display {
  called: { counter: string; number: number }[];
  waiting: number;
}
const COUNTERS = ['A', 'B', 'C', 'D'];

/** Screen 5 (queue): take a number for a counter, call the next one. */
export function QueueDesk({ unit }: { unit: string }) {
  const { t } = useI18n();
  const [counter, setCounter] = useState('A');
  const [ticket, setTicket] = useState<number>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const run = async (f: () => Promise<void>) => {
    setError(undefined);
    try {
      await f();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  };
  return (
    <>
      <h1>{t('queue.title')}</h1>
      <div className={s.grid2}>
        <section className={s.card}>
          <Field label={t('queue.counter')}>
            {(p) => (
              <select {...p} value={counter} onChange={(e) => setCounter(e.target.value)}>
                {COUNTERS.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            )}
          </Field>
          <div className={s.row}>
            <button
              type="button"
              className={s.btn}
              onClick={() =>
                run(async () => {
                  const r = await api<{ number: number }>(`/api/units/${unit}/queue/tickets`, {
                    body: { counter },
                  });
                  setTicket(r.number);
                })
              }
            >
              {t('queue.take')}
            </button>
            <button
              type="button"
              className={s.btnSecondary}
              onClick={() =>
                run(async () => {
                  const r = await api<{ number: number | null }>(`/api/units/${unit}/queue/call`, {
                    body: { counter },
                  });
                  setMessage(
                    r.number === null ? t('queue.none') : t('queue.called', { n: r.number, counter }),
                  );
                })
              }
            >
              {t('queue.call')}
            </button>
            <a className={s.btnSecondary} href={`/queue/display/${unit}`} target="_blank" rel="noreferrer">
              {t('queue.display')}
            </a>
          </div>
          <ProblemBox error={error} />
          {message && (
            <p className={s.info} role="status">
              {message}
            </p>
          )}
        </section>
        <section className={s.card} aria-live="polite">
          <h2>{t('queue.yourNumber')}</h2>
          <div className={s.ticket} data-testid="ticket">
            {ticket !== undefined ? `${counter}${String(ticket).padStart(3, '0')}` : '—'}
          </div>
        </section>
      </div>
    </>
  );
}

/** The display screen: the numbers now being served per counter, refreshed every few seconds. */
export function QueueDisplay({ unit }: { unit: string }) {
  const { t } = useI18n();
  const [d, setD] = useState<Display>();
  const [u, setU] = useState<Unit>();
  useEffect(() => {
    api<Unit>(`/api/public/units/${unit}`).then(setU, () => {});
    let alive = true;
    const tick = () =>
      api<Display>(`/api/public/units/${unit}/queue`).then(
        (x) => alive && setD(x),
        () => {},
      );
    void tick();
    const timer = setInterval(tick, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [unit]);
  const latest = new Map<string, number>();
  for (const c of d?.called ?? []) if (!latest.has(c.counter)) latest.set(c.counter, c.number);
  return (
    <main id="main" className={s.display}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h1>
          {t('queue.nowServing')} · {u?.name ?? unit}
        </h1>
        <LangSwitch />
      </div>
      <div className={s.displayGrid} aria-live="polite">
        {latest.size === 0 && <p style={{ fontSize: '2rem' }}>{t('queue.noneCalled')}</p>}
        {[...latest].map(([counter, n]) => (
          <div key={counter} className={s.displayCell}>
            {t('queue.counter')} {counter}
            <strong>{`${counter}${String(n).padStart(3, '0')}`}</strong>
          </div>
        ))}
      </div>
      <p style={{ fontSize: '2rem' }}>{t('queue.waiting', { n: d?.waiting ?? 0 })}</p>
    </main>
  );
}
