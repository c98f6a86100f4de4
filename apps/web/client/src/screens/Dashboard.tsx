import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Procedure } from '../api.js';
import { Field, Loading, ProblemBox } from '../components.js';
import { todayVn } from '../format.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';
import a from './admin.module.css';
import { HealthPanel } from './HealthPanel.js';

// The signing screen's readiness table, loaded with that screen's chunk.
const Readiness = lazy(() => import('./Signing.js').then((m) => ({ default: m.Readiness })));

interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface Figures {
  handled: number;
  received: { total: number; direct: number; online: number; postal: number };
  resolved: { total: number; early: number; onTime: number; late: number };
  inProgress: { total: number; withinLimit: number; overdue: number };
  waitingSupplement: number;
  returned: number;
  indicators: { onTimeRate: Ratio; onlineShare: Ratio; onlinePaymentShare: Ratio };
}
interface Summary {
  total: Figures;
  groups: Record<string, Figures>;
}
interface Day {
  day: string;
  received: number;
  resolved: number;
}

/** The per-day chart, with uPlot loaded only when the dashboard opens. */
function DailyChart({
  days,
  labels,
}: {
  days: Day[];
  labels: { received: string; resolved: string; title: string; day: string };
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void; setSize(size: { width: number; height: number }): void } | undefined;
    let alive = true;
    // The chart follows its box's width (a phone, a resized window).
    const observer = new ResizeObserver(() => {
      if (plot && ref.current) plot.setSize({ width: Math.max(280, ref.current.clientWidth), height: 240 });
    });
    if (ref.current) observer.observe(ref.current);
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      if (!alive || !ref.current) return;
      const width = Math.max(280, ref.current.clientWidth);
      const xs = days.map((d) => Date.parse(`${d.day}T00:00:00+07:00`) / 1000);
      plot = new UPlot(
        {
          width,
          height: 240,
          series: [
            { label: labels.day },
            { label: labels.received, stroke: '#0b4f8a', width: 2, fill: 'rgba(11,79,138,0.08)' },
            { label: labels.resolved, stroke: '#1b6e2e', width: 2 },
          ],
          legend: { live: false },
          axes: [
            {
              values: (_u, ticks) =>
                ticks.map((ts) => {
                  const d = new Date(ts * 1000 + 7 * 3_600_000);
                  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}`;
                }),
            },
            { size: 40 },
          ],
          tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Asia/Ho_Chi_Minh'),
        },
        [xs, days.map((d) => d.received), days.map((d) => d.resolved)],
        ref.current,
      );
    });
    return () => {
      alive = false;
      observer.disconnect();
      plot?.destroy();
    };
  }, [days, labels]);
  return <div ref={ref} className={s.chart} role="img" aria-label={labels.title} />;
}

const pct = (r: Ratio) => (r.rate === null ? '—' : `${Math.round(r.rate * 1000) / 10}%`);

interface Rollup {
  province: string;
  units: { code: string; name: string; figures: Figures }[];
  total: Figures;
}

/**
 * The province roll-up, for a province viewer: each commune's figures of the period (as its own dashboard
 * counts them) and the province's total; a commune's name opens its own figures below.
 */
function ProvinceRollup({ province, period }: { province: string; period: { from: string; to: string } }) {
  const { t } = useI18n();
  const { setUnit } = useSession();
  const [data, setData] = useState<Rollup>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    setData(undefined);
    setError(undefined);
    api<Rollup>(`/api/provinces/${province}/stats?${new URLSearchParams(period)}`).then(
      setData,
      (e) => e instanceof ApiError && setError(e),
    );
  }, [province, period]);
  const cells = (f: Figures) => (
    <>
      <td className={s.num}>{f.received.total}</td>
      <td className={s.num}>{f.resolved.total}</td>
      <td className={`${s.num} ${s.hideNarrow}`}>{f.resolved.early}</td>
      <td className={`${s.num} ${s.hideNarrow}`}>{f.resolved.onTime}</td>
      <td className={`${s.num} ${s.hideNarrow}`}>{f.resolved.late}</td>
      <td className={s.num}>{f.inProgress.overdue}</td>
      <td className={s.num}>{pct(f.indicators.onTimeRate)}</td>
      <td className={`${s.num} ${s.hideNarrow}`}>{pct(f.indicators.onlineShare)}</td>
    </>
  );
  return (
    <section className={s.card} aria-labelledby={`province-${province}`} data-testid="province-rollup">
      <h2 id={`province-${province}`}>
        {t('province.title')} · {t('province.name', { code: province })}
      </h2>
      <p className={s.help}>{t('province.help')}</p>
      <ProblemBox error={error} />
      {!data ? (
        <Loading />
      ) : (
        <div className={s.tableWrap}>
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">{t('province.commune')}</th>
                <th scope="col" className={s.num}>
                  {t('province.received')}
                </th>
                <th scope="col" className={s.num}>
                  {t('province.resolved')}
                </th>
                <th scope="col" className={`${s.num} ${s.hideNarrow}`}>
                  {t('dash.early')}
                </th>
                <th scope="col" className={`${s.num} ${s.hideNarrow}`}>
                  {t('dash.onTime')}
                </th>
                <th scope="col" className={`${s.num} ${s.hideNarrow}`}>
                  {t('dash.late')}
                </th>
                <th scope="col" className={s.num}>
                  {t('province.overdue')}
                </th>
                <th scope="col" className={s.num}>
                  {t('province.onTimeRate')}
                </th>
                <th scope="col" className={`${s.num} ${s.hideNarrow}`}>
                  {t('province.onlineShare')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.units.map((u) => (
                <tr key={u.code} data-unit={u.code}>
                  <th scope="row" className={s.nameCell}>
                    <button
                      type="button"
                      className={a.linkButton}
                      aria-label={t('province.open', { name: u.name })}
                      onClick={() => setUnit(u.code)}
                    >
                      {u.name}
                    </button>
                  </th>
                  {cells(u.figures)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-unit="total">
                <th scope="row">{t('province.total')}</th>
                {cells(data.total)}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

/** Screen 7: the period's figures, per procedure and per day, with the CSV export. */
export function Dashboard({ unit }: { unit: string }) {
  const { t, pick } = useI18n();
  const { me, units, roles } = useSession();
  const [from, setFrom] = useState(todayVn(-29));
  const [to, setTo] = useState(todayVn());
  const [period, setPeriod] = useState({ from: todayVn(-29), to: todayVn() });
  const [summary, setSummary] = useState<Summary>();
  const [days, setDays] = useState<Day[]>();
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    setSummary(undefined);
    setError(undefined);
    const qs = new URLSearchParams(period);
    api<Summary>(`/api/units/${unit}/stats?${qs}`).then(
      setSummary,
      (e) => e instanceof ApiError && setError(e),
    );
    api<Day[]>(`/api/units/${unit}/stats/daily?${qs}`).then(setDays, () => setDays([]));
    api<Procedure[]>(`/api/units/${unit}/procedures`).then(setProcedures, () => {});
  }, [unit, period]);
  const [labels, setLabels] = useState({ received: '', resolved: '', title: '', day: '' });
  useEffect(
    () =>
      setLabels({
        received: t('dash.received'),
        resolved: t('dash.resolved'),
        title: t('dash.chartLabel'),
        day: t('dash.day'),
      }),
    [t],
  );
  const name = (code: string) => {
    const p = procedures.find((x) => x.code === code);
    return p ? pick(p.name) : code;
  };
  const f = summary?.total;
  const provinces = (me?.roles ?? []).flatMap((r) =>
    r.role === 'provinceViewer' && r.provinceCode ? [r.provinceCode] : [],
  );
  return (
    <>
      <h1>{t('dash.title')}</h1>
      <form
        className={`${s.card} ${s.row}`}
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod({ from, to });
        }}
      >
        <Field label={t('dash.from')}>
          {(p) => <input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label={t('dash.to')}>
          {(p) => <input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <div className={s.field}>
          <button type="submit" className={s.btn}>
            {t('dash.apply')}
          </button>
        </div>
        <div className={s.field}>
          <a
            className={s.btnSecondary}
            href={`/api/units/${unit}/stats?${new URLSearchParams({ ...period, format: 'csv' })}`}
            data-testid="csv"
          >
            {t('dash.csv')}
          </a>
        </div>
        <div className={s.field}>
          <a
            className={s.btnSecondary}
            href={`/api/units/${unit}/stats?${new URLSearchParams({ ...period, format: 'xlsx' })}`}
            data-testid="xlsx"
          >
            {t('dash.xlsx')}
          </a>
        </div>
      </form>
      {provinces.map((p) => (
        <ProvinceRollup key={p} province={p} period={period} />
      ))}
      {provinces.length > 0 && (
        <h2>{t('province.unitFigures', { name: units.find((u) => u.code === unit)?.name ?? unit })}</h2>
      )}
      <ProblemBox error={error} />
      {!f ? (
        <Loading />
      ) : (
        <>
          <div className={s.kpis} data-testid="kpis">
            {(
              [
                ['received', t('dash.received'), f.received.total],
                ['resolved', t('dash.resolved'), f.resolved.total],
                ['early', `${t('dash.resolved')}: ${t('dash.early')}`, f.resolved.early],
                ['onTime', `${t('dash.resolved')}: ${t('dash.onTime')}`, f.resolved.onTime],
                ['late', `${t('dash.resolved')}: ${t('dash.late')}`, f.resolved.late],
                ['inProgress', t('dash.inProgress'), f.inProgress.total],
                [
                  'withinLimit',
                  `${t('dash.inProgress')}: ${t('dash.withinLimit')}`,
                  f.inProgress.withinLimit,
                ],
                ['overdue', `${t('dash.inProgress')}: ${t('dash.overdue')}`, f.inProgress.overdue],
                ['onTimeRate', t('dash.onTimeRate'), pct(f.indicators.onTimeRate)],
                ['onlineShare', t('dash.onlineShare'), pct(f.indicators.onlineShare)],
                ['onlinePaymentShare', t('dash.onlinePaymentShare'), pct(f.indicators.onlinePaymentShare)],
              ] as const
            ).map(([k, label, v]) => (
              <div key={k} className={s.kpi} data-kpi={k}>
                {label}
                <strong>{v}</strong>
              </div>
            ))}
          </div>
          <section className={s.card} aria-labelledby="perday">
            <h2 id="perday">{t('dash.perDay')}</h2>
            {days ? <DailyChart days={days} labels={labels} /> : <Loading />}
          </section>
          <section className={s.card} aria-labelledby="perproc">
            <h2 id="perproc">{t('dash.perProcedure')}</h2>
            <div className={s.tableWrap}>
              <table className={s.table}>
                <thead>
                  <tr>
                    <th scope="col">{t('work.col.procedure')}</th>
                    <th scope="col" className={s.num}>
                      {t('dash.received')}
                    </th>
                    <th scope="col" className={s.num}>
                      {t('dash.early')}
                    </th>
                    <th scope="col" className={s.num}>
                      {t('dash.onTime')}
                    </th>
                    <th scope="col" className={s.num}>
                      {t('dash.late')}
                    </th>
                    <th scope="col" className={s.num}>
                      {`${t('dash.inProgress')}: ${t('dash.overdue')}`}
                    </th>
                    <th scope="col" className={s.hideNarrow}>
                      <span className={s.srOnly}>{t('dash.resolved')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(summary.groups)
                    .sort((a, b) => b[1].received.total - a[1].received.total)
                    .map(([code, g]) => {
                      const r = g.resolved;
                      const w = (n: number) => `${r.total ? (n / r.total) * 100 : 0}%`;
                      return (
                        <tr key={code}>
                          <td className={s.nameCell}>{name(code)}</td>
                          <td className={s.num}>{g.received.total}</td>
                          <td className={s.num}>{r.early}</td>
                          <td className={s.num}>{r.onTime}</td>
                          <td className={s.num}>{r.late}</td>
                          <td className={s.num}>{g.inProgress.overdue}</td>
                          <td className={s.hideNarrow} aria-hidden="true">
                            <div className={s.bar}>
                              <div className={s.barEarly} style={{ width: w(r.early) }} />
                              <div className={s.barOnTime} style={{ width: w(r.onTime) }} />
                              <div className={s.barLate} style={{ width: w(r.late) }} />
                            </div>
                          </td>
                        </tr>
                      );
                    })}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      {(roles().has('leader') || roles().has('unitAdmin')) && (
        <>
          <HealthPanel canResend={roles().has('unitAdmin')} />
          <Suspense fallback={null}>
            <Readiness unit={unit} />
          </Suspense>
        </>
      )}
    </>
  );
}
