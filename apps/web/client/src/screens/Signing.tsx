import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, Loading, ProblemBox } from '../components.js';
import { dateTime, fromLocalInput, toLocalInput } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';
import { type DelegationRow, type SignedDoc, SignForm, useMySigning } from './SignPanel.js';

type Approval = SignedDoc & { dossierCode: string; procedureName: string };

/** Screen 4, "Leader": results waiting for the leader's signature, the phone confirmations, delegations. */
export function Signing({ unit, path }: { unit: string; path: string }) {
  if (path === '/signing/phone') return <SigningPhone />;
  return <LeaderSigning unit={unit} />;
}

function LeaderSigning({ unit }: { unit: string }) {
  const { t, lang } = useI18n();
  const { me, roles } = useSession();
  const mine = roles(unit);
  const [approvals, setApprovals] = useState<Approval[]>();
  const [delegations, setDelegations] = useState<DelegationRow[]>([]);
  const [pending, setPending] = useState<
    { operationId: string; dossierId: string; step: string; status: string; createdAt: string }[]
  >([]);
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const { staff } = useMySigning(unit);
  const load = useCallback(() => {
    api<Approval[]>(`/api/units/${unit}/signing/approvals`).then(setApprovals, setError as never);
    api<DelegationRow[]>(`/api/units/${unit}/delegations`).then(setDelegations, () => setDelegations([]));
    api<typeof pending>(`/api/units/${unit}/signing-requests?mine=1`).then(setPending, () => setPending([]));
  }, [unit]);
  useEffect(() => load(), [load]);
  const forMe = delegations.filter((d) => d.active && d.toUser === me?.id);
  const leader = mine.has('leader');

  return (
    <>
      <h1>{t('sign.title')}</h1>
      <p className={s.help}>{t('sign.intro')}</p>
      <ProblemBox error={error} />
      <section className={s.card} aria-labelledby="approvals">
        <h2 id="approvals">{t('sign.approvals')}</h2>
        {!approvals ? (
          <Loading />
        ) : approvals.length === 0 ? (
          <p>{t('sign.noApprovals')}</p>
        ) : (
          <div className={s.tableWrap}>
            <table className={s.table} data-testid="approvals">
              <thead>
                <tr>
                  <th scope="col">{t('sign.dossier')}</th>
                  <th scope="col">{t('sign.procedure')}</th>
                  <th scope="col">{t('sign.specialistSigned')}</th>
                  <th scope="col">{t('sign.action')}</th>
                </tr>
              </thead>
              <tbody>
                {approvals.map((a) => {
                  const spec = a.signatures.find((x) => x.step === 'specialist');
                  const options = [
                    ...(leader
                      ? [{ key: `self-${a.id}`, label: t('sign.approve'), onBehalfOf: undefined }]
                      : []),
                    ...forMe.map((d) => ({
                      key: `${d.id}-${a.id}`,
                      label: t('sign.signFor', { name: d.fromName }),
                      onBehalfOf: d.fromUser,
                    })),
                  ];
                  return (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/dossiers/${a.dossierId}`}>{a.dossierCode}</Link>
                      </td>
                      <td>{a.procedureName}</td>
                      <td>
                        {spec?.name} <span className={s.help}>{dateTime(spec?.at, lang)}</span>
                      </td>
                      <td>
                        {options.length === 0 && <span className={s.help}>{t('sign.notYours')}</span>}
                        {options.map((o) => (
                          <div key={o.key}>
                            <button
                              type="button"
                              className={s.btn}
                              aria-pressed={open === o.key}
                              onClick={() => setOpen(open === o.key ? undefined : o.key)}
                            >
                              {o.label}
                            </button>
                            {open === o.key && (
                              <SignForm
                                unit={unit}
                                dossierId={a.dossierId}
                                label={o.label}
                                body={{
                                  purpose: 'result',
                                  step: 'leader',
                                  documentId: a.sourceDocumentId,
                                  ...(o.onBehalfOf ? { onBehalfOf: o.onBehalfOf } : {}),
                                }}
                                onDone={load}
                                onSent={load}
                              />
                            )}
                          </div>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <div className={s.grid2}>
        <section className={s.card} aria-labelledby="phone">
          <h2 id="phone">{t('sign.myPending')}</h2>
          {pending.length === 0 ? (
            <p>{t('sign.noPending')}</p>
          ) : (
            <ul>
              {pending.map((p) => (
                <li key={p.operationId}>
                  <Link to={`/dossiers/${p.dossierId}`}>{t(`sign.step.${p.step}` as MessageKey)}</Link> ·{' '}
                  {t(`sign.state.${p.status}` as MessageKey)}{' '}
                  <span className={s.help}>{dateTime(p.createdAt, lang)}</span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to="/signing/phone">{t('sign.phoneLink')}</Link>
          </p>
          <button type="button" className={s.btnSecondary} onClick={load}>
            {t('sign.refresh')}
          </button>
        </section>
        <Delegations unit={unit} delegations={delegations} staff={staff} onChange={load} />
      </div>
      <Readiness unit={unit} />
    </>
  );
}

function Delegations({
  unit,
  delegations,
  staff,
  onChange,
}: {
  unit: string;
  delegations: DelegationRow[];
  staff: { userId: string; fullName: string; roles: string[] }[];
  onChange: () => void;
}) {
  const { t, lang } = useI18n();
  const { me, roles } = useSession();
  const canCreate = roles(unit).has('leader');
  const [form, setForm] = useState({
    toUser: '',
    scope: 'result',
    validFrom: toLocalInput(Date.now()),
    validUntil: toLocalInput(Date.now() + 7 * 86_400_000),
  });
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const fields = error?.fieldMessages(lang) ?? {};
  const submit = async () => {
    setError(undefined);
    setSaved(false);
    try {
      await api(`/api/units/${unit}/delegations`, {
        body: {
          toUser: form.toUser,
          scope: form.scope,
          validFrom: fromLocalInput(form.validFrom),
          validUntil: fromLocalInput(form.validUntil),
        },
      });
      setSaved(true);
      onChange();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  };
  const revoke = (id: string) =>
    api(`/api/units/${unit}/delegations/${id}`, { method: 'DELETE' }).then(onChange, setError as never);
  return (
    <section className={s.card} aria-labelledby="delegations">
      <h2 id="delegations">{t('sign.delegations')}</h2>
      {delegations.length === 0 ? (
        <p>{t('sign.noDelegations')}</p>
      ) : (
        <ul data-testid="delegations">
          {delegations.map((d) => (
            <li key={d.id}>
              {t('sign.delegationLine', { from: d.fromName, to: d.toName })} ·{' '}
              {t(`sign.scope.${d.scope}` as MessageKey)} ·{' '}
              <span className={s.help}>
                {dateTime(d.validFrom, lang)} – {dateTime(d.validUntil, lang)}
              </span>{' '}
              <span className={`${s.badge} ${d.active ? s.inTime : s.done}`}>
                {t(d.revokedAt ? 'sign.revoked' : d.active ? 'sign.active' : 'sign.inactive')}
              </span>{' '}
              {!d.revokedAt && d.fromUser === me?.id && (
                <button type="button" className={s.ghost} onClick={() => revoke(d.id)}>
                  {t('sign.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canCreate && (
        <form
          aria-label={t('sign.newDelegation')}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          <h3>{t('sign.newDelegation')}</h3>
          <Field label={t('sign.deputy')} error={fields.toUser}>
            {(p) => (
              <select
                {...p}
                value={form.toUser}
                onChange={(e) => setForm({ ...form, toUser: e.target.value })}
              >
                <option value="">—</option>
                {staff
                  .filter((o) => o.userId !== me?.id)
                  .map((o) => (
                    <option key={o.userId} value={o.userId}>
                      {o.fullName}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Field label={t('sign.scopeLabel')}>
            {(p) => (
              <select {...p} value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value })}>
                {['result', 'certified_copy', 'all'].map((x) => (
                  <option key={x} value={x}>
                    {t(`sign.scope.${x}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('sign.from')} error={fields.validFrom}>
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={form.validFrom}
                onChange={(e) => setForm({ ...form, validFrom: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('sign.until')} error={fields.validUntil}>
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={form.validUntil}
                onChange={(e) => setForm({ ...form, validUntil: e.target.value })}
              />
            )}
          </Field>
          <ProblemBox error={error} />
          {saved && (
            <p className={s.success} role="status">
              {t('sign.delegationSaved')}
            </p>
          )}
          <button type="submit" className={s.btn}>
            {t('sign.delegate')}
          </button>
        </form>
      )}
    </section>
  );
}

/** Demo mode: stands in for the officer's phone app (confirm or reject a signing request). */
function SigningPhone() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<{
    credentials: { provider: string; credentialId: string; demoPin?: string }[];
    transactions: { transactionId: string; description: string; status: string; expiresAt: string }[];
  } | null>();
  const [error, setError] = useState<ApiError>();
  const [answered, setAnswered] = useState<string>();
  const load = useCallback(
    () =>
      api<NonNullable<typeof data>>('/api/demo/signing').then(setData, (e) => {
        if (e instanceof ApiError && e.status === 404) setData(null);
        else setError(e);
      }),
    [],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [load]);
  const act = (id: string, action: 'confirm' | 'reject') =>
    api(`/api/demo/signing/transactions/${id}/${action}`, { body: {} }).then(() => {
      setAnswered(action);
      void load();
    }, setError as never);
  if (data === undefined) return <Loading />;
  return (
    <div className={s.card} style={{ maxWidth: 420, margin: '0 auto' }} data-testid="phone">
      <h1>{t('sign.phoneTitle')}</h1>
      <p className={s.help}>{t('sign.phoneIntro')}</p>
      <ProblemBox error={error} />
      {data === null ? (
        <p>{t('sign.phoneNoDemo')}</p>
      ) : (
        <>
          {data.credentials.map((c) => (
            <p key={c.credentialId} className={s.help}>
              {c.credentialId} ({c.provider}){c.demoPin ? ` · ${t('sign.demoPin', { pin: c.demoPin })}` : ''}
            </p>
          ))}
          {answered && (
            <p className={s.success} role="status">
              {t(answered === 'confirm' ? 'sign.confirmed' : 'sign.rejected')}
            </p>
          )}
          {data.transactions.length === 0 ? (
            <p>{t('sign.phoneEmpty')}</p>
          ) : (
            <ul className={s.list}>
              {data.transactions.map((x) => (
                <li key={x.transactionId}>
                  <p>
                    <strong>{x.description}</strong>
                  </p>
                  <p className={s.help}>{t('sign.expires', { at: dateTime(x.expiresAt, lang) })}</p>
                  <div className={s.row}>
                    <button type="button" className={s.btn} onClick={() => act(x.transactionId, 'confirm')}>
                      {t('sign.confirm')}
                    </button>
                    <button
                      type="button"
                      className={s.btnDanger}
                      onClick={() => act(x.transactionId, 'reject')}
                    >
                      {t('sign.reject')}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <p>
        <Link to="/signing">{t('common.back')}</Link>
      </p>
    </div>
  );
}

interface ReadinessReport {
  checkedAt: string;
  ready: number;
  officers: {
    userId: string;
    fullName: string;
    provider: string | null;
    subject: string | null;
    notAfter: string | null;
    ready: boolean;
    problems: { code: string; vi: string; en: string }[];
  }[];
  problems: { code: string; vi: string; en: string }[];
}

/** Who in the unit can sign today, whose certificate expires soon, and whether someone signs certified copies. */
export function Readiness({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const [r, setR] = useState<ReadinessReport>();
  useEffect(() => {
    api<ReadinessReport>(`/api/units/${unit}/signing-readiness`).then(setR, () => setR(undefined));
  }, [unit]);
  if (!r) return null;
  return (
    <section className={s.card} aria-labelledby="readiness">
      <h2 id="readiness">{t('sign.readiness', { ready: r.ready, total: r.officers.length })}</h2>
      {r.problems.map((p) => (
        <p key={p.code} className={s.alert}>
          {pick(p)}
        </p>
      ))}
      <div className={s.tableWrap}>
        <table className={s.table} data-testid="readiness">
          <thead>
            <tr>
              <th scope="col">{t('sign.officer')}</th>
              <th scope="col">{t('sign.provider')}</th>
              <th scope="col">{t('sign.certificate')}</th>
              <th scope="col">{t('sign.status')}</th>
            </tr>
          </thead>
          <tbody>
            {r.officers.map((o) => (
              <tr key={o.userId}>
                <td>{o.fullName}</td>
                <td>
                  {o.provider ? t(o.provider === 'csc' ? 'sign.providerCsc' : 'sign.providerAsync') : '—'}
                </td>
                <td>
                  {o.subject ?? '—'}
                  {o.notAfter && (
                    <div className={s.help}>{t('sign.validUntil', { at: dateTime(o.notAfter, lang) })}</div>
                  )}
                </td>
                <td>
                  <span className={`${s.badge} ${o.ready ? s.inTime : s.overdue}`}>
                    {t(o.ready ? 'sign.ready' : 'sign.notReady')}
                  </span>
                  {o.problems.map((p) => (
                    <div key={p.code} className={s.help}>
                      {pick(p)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
