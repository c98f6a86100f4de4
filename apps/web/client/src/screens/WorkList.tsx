import { useEffect, useMemo, useState } from 'react';
import { ApiError, api, type Dossier, type Procedure } from '../api.js';
import { DueBadge, Field, Loading, ProblemBox } from '../components.js';
import { dateTime, dueOf } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import s from '../ui.module.css';

const LISTS = ['overdue', 'dueSoon', 'waitingSupplement', 'mine', 'all', 'finished'] as const;
type List = (typeof LISTS)[number];
const COUNTER_CLASS: Partial<Record<List, string>> = {
  overdue: s.counterOverdue,
  dueSoon: s.counterSoon,
  mine: s.counterInTime,
};

/** Screen 2: the work list, counters on top, sorted by due instant, coloured in time / due soon / overdue. */
export function WorkList({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const [list, setList] = useState<List>();
  const [counts, setCounts] = useState<Partial<Record<List, number>>>({});
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [step, setStep] = useState('');
  const [procedure, setProcedure] = useState('');
  const [channel, setChannel] = useState('');
  const [q, setQ] = useState('');
  const [limit, setLimit] = useState(100);
  const [data, setData] = useState<{ items: Dossier[]; total: number }>();
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    let stale = false;
    api<Procedure[]>(`/api/units/${unit}/procedures`).then(
      (p) => !stale && setProcedures(p),
      () => {},
    );
    Promise.all(
      LISTS.map((l) =>
        api<{ total: number }>(`/api/units/${unit}/dossiers?list=${l}&limit=1`).then(
          (r) => [l, r.total] as const,
        ),
      ),
    ).then(
      (pairs) => {
        if (stale) return;
        const c = Object.fromEntries(pairs) as Record<List, number>;
        setCounts(c);
        setList((cur) => cur ?? (c.mine > 0 ? 'mine' : 'overdue'));
      },
      (e) => !stale && e instanceof ApiError && setError(e),
    );
    return () => {
      stale = true;
    };
  }, [unit]);

  useEffect(() => {
    if (!list) return;
    let stale = false;
    const params = new URLSearchParams({ list, limit: String(limit) });
    if (step.trim()) params.set('step', step.trim());
    // Every filter is applied by the API, so the total and the pages agree however long the list is.
    if (procedure) params.set('procedure', procedure);
    if (channel) params.set('channel', channel);
    const text = q.trim();
    if (text) params.set('q', text);
    const filtered = Boolean(step.trim() || text || procedure || channel);
    const timer = setTimeout(() => {
      api<{ items: Dossier[]; total: number }>(`/api/units/${unit}/dossiers?${params}`).then(
        (r) => {
          if (stale) return;
          setData(r);
          setError(undefined);
          // The counter of the list on screen follows the list's own (newer) total.
          if (!filtered) setCounts((c) => ({ ...c, [list]: r.total }));
        },
        (e) => !stale && e instanceof ApiError && setError(e),
      );
    }, 200);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [unit, list, step, q, procedure, channel, limit]);

  const items = data?.items ?? [];
  const steps = useMemo(
    () => [...new Set((data?.items ?? []).map((d) => d.currentStep).filter((x): x is string => !!x))],
    [data],
  );

  return (
    <>
      <h1>{t('work.title')}</h1>
      <ProblemBox error={error} />
      <fieldset className={s.counters} aria-label={t('work.title')}>
        {LISTS.map((l) => (
          <button
            key={l}
            type="button"
            className={`${s.counter} ${COUNTER_CLASS[l] ?? ''}`}
            aria-pressed={list === l}
            data-testid={`counter-${l}`}
            onClick={() => {
              setList(l);
              setLimit(100);
            }}
          >
            {t(`work.list.${l}` as MessageKey)}
            <strong>{counts[l] ?? '…'}</strong>
          </button>
        ))}
      </fieldset>
      <div
        className={`${s.card} ${s.grid3}`}
        style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))' }}
      >
        <Field label={t('work.filter.q')}>
          {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <Field label={t('work.filter.procedure')}>
          {(p) => (
            <select {...p} value={procedure} onChange={(e) => setProcedure(e.target.value)}>
              <option value="">{t('work.filter.any')}</option>
              {procedures.map((x) => (
                <option key={x.code} value={x.code}>
                  {pick(x.name)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('work.filter.step')}>
          {(p) => (
            <>
              <input {...p} list="steps" value={step} onChange={(e) => setStep(e.target.value)} />
              <datalist id="steps">
                {steps.map((x) => (
                  <option key={x} value={x} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label={t('work.filter.channel')}>
          {(p) => (
            <select {...p} value={channel} onChange={(e) => setChannel(e.target.value)}>
              <option value="">{t('work.filter.any')}</option>
              {(['direct', 'online', 'postal'] as const).map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {!data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className={s.card}>{t('work.empty')}</p>
      ) : (
        <>
          <div className={s.tableWrap}>
            <table className={s.table} data-testid="work-table">
              <thead>
                <tr>
                  <th scope="col">{t('work.col.due')}</th>
                  <th scope="col">{t('work.col.code')}</th>
                  <th scope="col">{t('work.col.procedure')}</th>
                  <th scope="col" className={s.hideNarrow}>
                    {t('work.col.channel')}
                  </th>
                  <th scope="col" className={s.hideNarrow}>
                    {t('work.col.received')}
                  </th>
                  <th scope="col">{t('work.col.appointment')}</th>
                  <th scope="col" className={s.hideNarrow}>
                    {t('work.col.phase')}
                  </th>
                  <th scope="col" className={s.hideNarrow}>
                    {t('work.col.step')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.id} data-due={dueOf(d)}>
                    <td>
                      <DueBadge d={d} />
                    </td>
                    <td>
                      <Link to={`/dossiers/${d.id}`}>{d.code}</Link>
                    </td>
                    <td>{d.procedureName}</td>
                    <td className={s.hideNarrow}>{t(`channel.${d.channel}`)}</td>
                    <td className={s.hideNarrow}>{dateTime(d.receivedAt, lang)}</td>
                    <td>{dateTime(d.appointment, lang)}</td>
                    <td className={s.hideNarrow}>{t(`phase.${d.phase}` as MessageKey)}</td>
                    <td className={s.hideNarrow}>
                      {[d.currentStep, d.assignedTo].filter(Boolean).join(' · ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className={s.help}>{t('work.shown', { shown: items.length, total: data.total })}</p>
          {data.items.length < data.total && (
            <button
              type="button"
              className={s.btnSecondary}
              onClick={() => setLimit((l) => Math.min(500, l + 100))}
            >
              {t('work.more')}
            </button>
          )}
        </>
      )}
    </>
  );
}
