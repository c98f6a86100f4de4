import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Dossier, type DossierEventRecord } from '../api.js';
import { DueBadge, Field, Loading, NotFound, ProblemBox } from '../components.js';
import { dateTime, fromLocalInput, toLocalInput } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';
import { FeePanel } from './FeePanel.js';
import { SignPanel } from './SignPanel.js';

interface Detail {
  dossier: Dossier;
  events: DossierEventRecord[];
  status: {
    remainingMinutes?: number;
    overdue?: boolean;
    warnings?: { code: string; message: { vi: string; en: string } }[];
  };
}

type Action =
  | 'transferred'
  | 'supplementRequested'
  | 'supplementReceived'
  | 'paused'
  | 'resumed'
  | 'extended'
  | 'resolved'
  | 'returned'
  | 'refused'
  | 'stopped'
  | 'closed'
  | 'accepted';

/** What the lifecycle rules allow in each phase (the server checks again and answers 409 naming the rule). */
const BY_PHASE: Record<string, Action[]> = {
  received: ['accepted', 'transferred', 'supplementRequested', 'extended', 'resolved', 'refused', 'stopped'],
  inProgress: ['transferred', 'supplementRequested', 'paused', 'extended', 'resolved', 'refused', 'stopped'],
  waitingSupplement: ['supplementReceived', 'refused', 'stopped', 'closed'],
  paused: ['resumed', 'extended', 'refused', 'stopped'],
  resolved: ['returned'],
  refused: ['returned'],
};
/** Who may record what (mirrors the API's EVENT_ROLES). */
const ROLES: Record<Action, string[]> = {
  accepted: ['receptionist', 'unitAdmin'],
  transferred: ['receptionist', 'specialist', 'leader', 'unitAdmin'],
  supplementRequested: ['receptionist', 'specialist', 'leader', 'unitAdmin'],
  supplementReceived: ['receptionist', 'unitAdmin'],
  paused: ['specialist', 'leader', 'unitAdmin'],
  resumed: ['specialist', 'leader', 'unitAdmin'],
  extended: ['leader', 'unitAdmin'],
  resolved: ['specialist', 'leader', 'unitAdmin'],
  returned: ['receptionist', 'unitAdmin'],
  refused: ['leader', 'unitAdmin'],
  stopped: ['receptionist', 'leader', 'unitAdmin'],
  closed: ['leader', 'unitAdmin'],
};
const DANGER = new Set<Action>(['refused', 'stopped', 'closed']);

const nowIso = () => new Date().toISOString();

/** Screen 3: a dossier, its timeline, and the actions the rules and the officer's roles allow now. */
export function DossierPage({ id }: { id: string }) {
  const { t, lang, pick } = useI18n();
  const { roles } = useSession();
  const [detail, setDetail] = useState<Detail | null>();
  const [action, setAction] = useState<Action>();
  const [form, setForm] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const load = useCallback(
    () =>
      api<Detail>(`/api/dossiers/${id}`).then(setDetail, (e) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 400)) setDetail(null);
        else setError(e);
      }),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  if (detail === undefined) return error ? <ProblemBox error={error} /> : <Loading />;
  if (detail === null) return <NotFound />;
  const d = detail.dossier;
  const mine = roles(d.unitCode);
  const last = detail.events.at(-1)?.event.type;
  const allowed = (BY_PHASE[d.phase] ?? []).filter(
    (a) =>
      ROLES[a].some((r) => mine.has(r)) &&
      !(d.phase === 'refused' && last === 'returned') &&
      !(a === 'accepted' && d.channel !== 'online'),
  );
  const remaining = detail.status.remainingMinutes;

  const choose = (a: Action) => {
    setAction(a);
    setError(undefined);
    setFieldErrors({});
    setDone(false);
    setForm(
      a === 'transferred'
        ? { step: t('action.stepDefault') }
        : a === 'extended'
          ? {
              newAppointment: toLocalInput(
                Math.max(Date.now(), Date.parse(d.appointment ?? nowIso())) + 3 * 86_400_000,
              ),
            }
          : {},
    );
    setTimeout(() => formRef.current?.querySelector<HTMLElement>('input, textarea, button')?.focus(), 0);
  };
  const set = (k: string) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async () => {
    if (!action) return;
    const at = nowIso();
    const note = form.note?.trim() ? { note: form.note.trim() } : {};
    const body: Record<string, unknown> = { type: action, at, ...note };
    if (action === 'transferred') {
      body.step = form.step ?? '';
      if (form.to?.trim()) body.to = { id: form.to.trim() };
    }
    if (action === 'supplementRequested')
      body.reasons = (form.reasons ?? '')
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean);
    if (action === 'paused' || action === 'refused') body.reason = form.reason ?? '';
    if ((action === 'stopped' || action === 'closed') && form.reason?.trim())
      body.reason = form.reason.trim();
    if (action === 'extended') {
      body.reason = form.reason ?? '';
      body.newAppointment = form.newAppointment ? fromLocalInput(form.newAppointment) : '';
      body.apologyLetter = {
        issuedAt: at,
        ...(form.apologyNumber?.trim() ? { number: form.apologyNumber.trim() } : {}),
      };
    }
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      await api(`/api/dossiers/${id}/events`, { body });
      setAction(undefined);
      setDone(true);
      await load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldMessages(lang));
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const text = (k: string, label: string, opts: { area?: boolean; type?: string } = {}) => (
    <Field label={label} error={fieldErrors[k] ?? fieldErrors[`${k}.0`] ?? fieldErrors[`${k}.issuedAt`]}>
      {(p) =>
        opts.area ? (
          <textarea {...p} name={k} rows={3} value={form[k] ?? ''} onChange={set(k)} />
        ) : (
          <input {...p} name={k} type={opts.type ?? 'text'} value={form[k] ?? ''} onChange={set(k)} />
        )
      }
    </Field>
  );

  return (
    <>
      <h1>{t('dossier.title', { code: d.code })}</h1>
      <div className={s.grid2}>
        <div>
          <section className={s.card} aria-labelledby="sum">
            <h2 id="sum">{t('dossier.summary')}</h2>
            <dl className={s.dl}>
              <dt>{t('dossier.procedure')}</dt>
              <dd>
                {d.procedureName} <span className={s.help}>({d.procedureCode})</span>
              </dd>
              <dt>{t('dossier.phase')}</dt>
              <dd data-testid="phase">
                {t(`phase.${d.phase}` as MessageKey)} <DueBadge d={d} />
              </dd>
              <dt>{t('dossier.channel')}</dt>
              <dd>{t(`channel.${d.channel}`)}</dd>
              <dt>{t('dossier.received')}</dt>
              <dd>{dateTime(d.receivedAt, lang)}</dd>
              <dt>{t('dossier.appointment')}</dt>
              <dd className={s.appointment}>{dateTime(d.appointment, lang)}</dd>
              {d.originalAppointment && d.originalAppointment !== d.appointment && (
                <>
                  <dt>{t('dossier.originalAppointment')}</dt>
                  <dd>{dateTime(d.originalAppointment, lang)}</dd>
                </>
              )}
              {remaining !== undefined && ['inProgress', 'received', 'paused'].includes(d.phase) && (
                <>
                  <dt>{t('dossier.remaining')}</dt>
                  <dd>
                    {d.overdue
                      ? t('dossier.overdueBy')
                      : t('dossier.remainingValue', { h: Math.max(0, Math.round(remaining / 6) / 10) })}
                  </dd>
                </>
              )}
              <dt>{t('dossier.step')}</dt>
              <dd>{d.currentStep ?? '—'}</dd>
              <dt>{t('dossier.assigned')}</dt>
              <dd>{d.assignedTo ?? '—'}</dd>
            </dl>
            <p>
              <a href={`/api/dossiers/${d.id}/forms/receipt.pdf`} target="_blank" rel="noreferrer">
                {t('dossier.receipt')}
              </a>
            </p>
          </section>
          {detail.status.warnings && detail.status.warnings.length > 0 && (
            <section className={s.card} aria-labelledby="warn">
              <h2 id="warn">{t('dossier.warnings')}</h2>
              <ul>
                {detail.status.warnings.map((w) => (
                  <li key={`${w.code}-${pick(w.message)}`}>{pick(w.message)}</li>
                ))}
              </ul>
            </section>
          )}
          <section className={s.card} aria-labelledby="acts">
            <h2 id="acts">{t('dossier.actions')}</h2>
            {done && (
              <p className={s.success} role="status">
                {t('dossier.done')}
              </p>
            )}
            {allowed.length === 0 ? (
              <p>{t('dossier.noActions')}</p>
            ) : (
              <div className={s.actions}>
                {allowed.map((a) => (
                  <button
                    key={a}
                    type="button"
                    className={DANGER.has(a) ? s.btnDanger : s.btnSecondary}
                    aria-pressed={action === a}
                    onClick={() => choose(a)}
                  >
                    {t(`event.${a}` as MessageKey)}
                  </button>
                ))}
              </div>
            )}
            {action && (
              <form
                ref={formRef}
                className={s.info}
                aria-label={t(`event.${action}` as MessageKey)}
                onSubmit={(e) => {
                  e.preventDefault();
                  void submit();
                }}
                noValidate
              >
                <h3 style={{ marginTop: 0 }}>{t(`event.${action}` as MessageKey)}</h3>
                {action === 'transferred' && (
                  <>
                    {text('step', t('action.step'))}
                    {text('to', t('action.to'))}
                  </>
                )}
                {action === 'supplementRequested' && text('reasons', t('action.reasons'), { area: true })}
                {(action === 'paused' ||
                  action === 'refused' ||
                  action === 'stopped' ||
                  action === 'closed') &&
                  text('reason', t('action.reason'), { area: true })}
                {action === 'extended' && (
                  <>
                    {text('newAppointment', t('action.newAppointment'), { type: 'datetime-local' })}
                    {text('reason', t('action.reason'), { area: true })}
                    {text('apologyNumber', t('action.apologyNumber'))}
                  </>
                )}
                {text('note', t('action.note'))}
                <ProblemBox error={error} />
                <div className={s.row}>
                  <button type="submit" className={DANGER.has(action) ? s.btnDanger : s.btn} disabled={busy}>
                    {t('action.submit', { action: t(`event.${action}` as MessageKey) })}
                  </button>
                  <button type="button" className={s.btnSecondary} onClick={() => setAction(undefined)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </form>
            )}
          </section>
          <FeePanel dossier={d} onPaid={load} />
          <SignPanel dossier={d} onSigned={load} />
        </div>
        <section className={s.card} aria-labelledby="tl">
          <h2 id="tl">{t('dossier.timeline')}</h2>
          <ol className={s.timeline} data-testid="timeline">
            {detail.events.map((r) => {
              const e = r.event;
              // The officer named on the event; a seeded or system event has none (no raw user ids shown).
              const who =
                e.officer?.name ?? e.officer?.id ?? (r.recordedBy === null ? t('dossier.system') : undefined);
              const extra = [
                typeof e.step === 'string' ? e.step : '',
                (e.to as { id?: string } | undefined)?.id ?? '',
                Array.isArray(e.reasons) ? (e.reasons as string[]).join('; ') : '',
                typeof e.reason === 'string' ? e.reason : '',
                typeof e.newAppointment === 'string' ? `→ ${dateTime(e.newAppointment, lang)}` : '',
                typeof e.channel === 'string' ? t(`channel.${e.channel}` as MessageKey) : '',
                typeof e.note === 'string' ? e.note : '',
                typeof e.registrationNumber === 'string' ? e.registrationNumber : '',
              ].filter(Boolean);
              // A registration names its system (the newborn bundle has three).
              const label =
                e.type === 'registered' && typeof e.system === 'string'
                  ? `event.registered.${e.system}`
                  : `event.${e.type}`;
              return (
                <li key={r.seq}>
                  <strong>{t(label as MessageKey)}</strong>{' '}
                  <span className={s.help}>
                    {dateTime(e.at, lang)}
                    {who ? ` · ${t('dossier.by', { who })}` : ''}
                  </span>
                  {extra.length > 0 && <div>{extra.join(' · ')}</div>}
                </li>
              );
            })}
          </ol>
        </section>
      </div>
    </>
  );
}
