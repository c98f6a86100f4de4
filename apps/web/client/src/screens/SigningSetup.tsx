import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, Loading, ProblemBox } from '../components.js';
import { dateTime } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import s from '../ui.module.css';
import a from './admin.module.css';
import type { DelegationRow } from './SignPanel.js';

type Provider = 'csc' | 'async';
type Message = { code: string; vi: string; en: string };

/** One officer of the unit as `GET /api/units/{unit}/signing-readiness` reports them. */
interface Officer {
  userId: string;
  username: string;
  fullName: string;
  roles: string[];
  provider: Provider | null;
  credentialId: string | null;
  subject: string | null;
  notAfter: string | null;
  ready: boolean;
  problems: Message[];
}
interface ReadinessReport {
  checkedAt: string;
  ready: number;
  officers: Officer[];
  problems: Message[];
}
/** What `PUT /api/units/{unit}/signing/credentials/{userId}` answers. */
interface Saved {
  provider: Provider;
  credentialId: string;
  subject: string | null;
  notAfter: string;
}

const ROLE_KEY: Record<string, MessageKey> = {
  receptionist: 'admin.role.receptionist',
  specialist: 'admin.role.specialist',
  leader: 'admin.role.leader',
  unitAdmin: 'admin.role.unitAdmin',
};
const PROVIDER_KEY: Record<Provider, MessageKey> = { csc: 'sign.providerCsc', async: 'sign.providerAsync' };

/** The form that assigns or changes one officer's credential; errors appear next to the field they name. */
function CredentialForm({
  unit,
  officer,
  onSaved,
  onCancel,
}: {
  unit: string;
  officer: Officer;
  onSaved(saved: Saved): void;
  onCancel(): void;
}) {
  const { t, lang } = useI18n();
  const [provider, setProvider] = useState<Provider>(officer.provider ?? 'csc');
  const [credentialId, setCredentialId] = useState(officer.credentialId ?? '');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const fields = error?.fieldMessages(lang) ?? {};
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onSaved(
        await api<Saved>(`/api/units/${unit}/signing/credentials/${officer.userId}`, {
          method: 'PUT',
          body: { provider, credentialId },
        }),
      );
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  };
  const label = t('admin.signing.formFor', { user: officer.fullName });
  return (
    <form
      className={s.info}
      aria-label={label}
      noValidate
      data-testid="credential-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p style={{ margin: '0 0 0.4rem', fontWeight: 600 }}>{label}</p>
      <div className={s.grid2}>
        <Field
          label={t('admin.signing.provider')}
          help={t('admin.signing.providerHelp')}
          error={fields.provider}
        >
          {(p) => (
            <select
              {...p}
              ref={first}
              name="provider"
              value={provider}
              onChange={(e) => setProvider(e.target.value as Provider)}
            >
              {(['csc', 'async'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(PROVIDER_KEY[x])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('admin.signing.credentialId')}
          help={t('admin.signing.credentialIdHelp')}
          error={fields.credentialId}
        >
          {(p) => (
            <input
              {...p}
              name="credentialId"
              autoComplete="off"
              spellCheck={false}
              value={credentialId}
              onChange={(e) => setCredentialId(e.target.value)}
            />
          )}
        </Field>
      </div>
      {error && !fields.provider && !fields.credentialId && <ProblemBox error={error} />}
      <div className={s.row}>
        <button type="submit" className={s.btn} disabled={busy}>
          {t('admin.signing.save')}
        </button>
        <button type="button" className={s.btnSecondary} onClick={onCancel}>
          {t('admin.signing.cancel')}
        </button>
      </div>
    </form>
  );
}

/** One officer: their credential, whether they can sign, and the actions on it. */
function OfficerRow({
  unit,
  officer,
  editing,
  onEdit,
  onChanged,
}: {
  unit: string;
  officer: Officer;
  editing: boolean;
  onEdit(open: boolean): void;
  onChanged(message: string): void;
}) {
  const { t, lang, pick } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const cancelRemove = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRemove.current?.focus();
  }, [confirming]);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const user = officer.fullName;
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/units/${unit}/signing/credentials/${officer.userId}`, { method: 'DELETE' });
      setConfirming(false);
      onChanged(t('admin.signing.removed', { user }));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <tr data-officer={officer.username}>
        <td>
          <strong>{officer.fullName}</strong>
          <div className={s.help}>
            {officer.username}
            {officer.roles.length > 0 &&
              ` · ${officer.roles.map((r) => (ROLE_KEY[r] ? t(ROLE_KEY[r]) : r)).join(', ')}`}
          </div>
        </td>
        <td>
          {officer.provider ? (
            <>
              {t(PROVIDER_KEY[officer.provider])} · <code>{officer.credentialId}</code>
              {officer.subject && (
                <div className={s.help}>{t('admin.signing.holder', { name: officer.subject })}</div>
              )}
              {officer.notAfter && (
                <div className={s.help}>{t('sign.validUntil', { at: dateTime(officer.notAfter, lang) })}</div>
              )}
            </>
          ) : (
            <span className={s.help}>{t('admin.signing.none')}</span>
          )}
        </td>
        <td>
          <span className={`${s.badge} ${officer.ready ? s.inTime : s.overdue}`}>
            {t(officer.ready ? 'sign.ready' : 'sign.notReady')}
          </span>
          {officer.problems.map((p) => (
            <div key={p.code} className={s.help}>
              {pick(p)}
            </div>
          ))}
        </td>
        <td style={{ minWidth: '12rem' }}>
          <div className={s.row}>
            <button
              type="button"
              className={s.btnSecondary}
              aria-expanded={editing}
              aria-label={t(officer.provider ? 'admin.signing.changeFor' : 'admin.signing.assignFor', {
                user,
              })}
              onClick={() => onEdit(!editing)}
            >
              {t(officer.provider ? 'admin.signing.change' : 'admin.signing.assign')}
            </button>
            {officer.provider && !confirming && (
              <button
                type="button"
                className={s.btnDanger}
                aria-label={t('admin.signing.removeFor', { user })}
                onClick={() => setConfirming(true)}
              >
                {t('admin.signing.remove')}
              </button>
            )}
          </div>
          {confirming && (
            <div className={s.alert}>
              <p style={{ margin: '0 0 0.4rem' }}>{t('admin.signing.removeConfirm', { user })}</p>
              <div className={s.row}>
                <button type="button" className={s.btnDanger} disabled={busy} onClick={() => void remove()}>
                  {t('admin.signing.removeYes')}
                </button>
                <button
                  type="button"
                  className={s.btnSecondary}
                  ref={cancelRemove}
                  onClick={() => setConfirming(false)}
                >
                  {t('admin.signing.cancel')}
                </button>
              </div>
            </div>
          )}
          <ProblemBox error={error} />
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={4}>
            <CredentialForm
              unit={unit}
              officer={officer}
              onCancel={() => onEdit(false)}
              onSaved={(saved) => {
                onEdit(false);
                onChanged(
                  t('admin.signing.saved', {
                    user,
                    holder: saved.subject ?? saved.credentialId,
                    at: dateTime(saved.notAfter, lang),
                  }),
                );
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * Screen 8's signing set-up, for the unit admin: every officer of the unit with their credential (how they
 * sign, the credential ID, the certificate's holder and expiry) and whether they can sign; assign, change or
 * remove a credential; the delegations in force, which leaders manage on the Signing screen.
 *
 * @example
 * ```tsx
 * <SigningSetup unit="05152" />
 * ```
 */
export function SigningSetup({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const [report, setReport] = useState<ReadinessReport>();
  const [delegations, setDelegations] = useState<DelegationRow[]>([]);
  const [error, setError] = useState<ApiError>();
  const [editing, setEditing] = useState<string>();
  const [done, setDone] = useState<string>();
  const load = useCallback(() => {
    api<ReadinessReport>(`/api/units/${unit}/signing-readiness`).then(
      (r) => {
        setReport(r);
        setError(undefined);
      },
      (e) => e instanceof ApiError && setError(e),
    );
    api<DelegationRow[]>(`/api/units/${unit}/delegations`).then(setDelegations, () => setDelegations([]));
  }, [unit]);
  useEffect(() => load(), [load]);
  const readyById = new Map(report?.officers.map((o) => [o.userId, o.ready]));
  const inForce = delegations.filter((d) => d.active);
  return (
    <section className={s.card} aria-labelledby="admin-signing" data-testid="signing-setup">
      <h2 id="admin-signing">{t('admin.signing')}</h2>
      <p className={s.help}>{t('admin.signing.help')}</p>
      <ProblemBox error={error} />
      {done && (
        <p className={s.success} role="status" data-testid="signing-setup-done">
          {done}
        </p>
      )}
      {!report ? (
        !error && <Loading />
      ) : (
        <>
          <p>
            <strong>
              {t('admin.signing.summary', { ready: report.ready, total: report.officers.length })}
            </strong>
          </p>
          {report.problems.map((p) => (
            <p key={p.code} className={s.alert}>
              {pick(p)}
            </p>
          ))}
          <div className={s.tableWrap}>
            <table className={`${s.table} ${a.stack}`} data-testid="signing-officers">
              <thead>
                <tr>
                  <th scope="col">{t('admin.signing.officer')}</th>
                  <th scope="col">{t('admin.signing.credential')}</th>
                  <th scope="col">{t('admin.signing.status')}</th>
                  <th scope="col">{t('admin.signing.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {report.officers.map((o) => (
                  <OfficerRow
                    key={o.userId}
                    unit={unit}
                    officer={o}
                    editing={editing === o.userId}
                    onEdit={(open) => {
                      setEditing(open ? o.userId : undefined);
                      if (open) setDone(undefined);
                    }}
                    onChanged={(message) => {
                      setDone(message);
                      load();
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h3>{t('admin.signing.delegations')}</h3>
      {inForce.length === 0 ? (
        <p>{t('admin.signing.noDelegations')}</p>
      ) : (
        <ul data-testid="signing-delegations">
          {inForce.map((d) => (
            <li key={d.id}>
              {t('sign.delegationLine', { from: d.fromName, to: d.toName })} ·{' '}
              {t(`sign.scope.${d.scope}` as MessageKey)} ·{' '}
              <span className={s.help}>{t('admin.signing.until', { at: dateTime(d.validUntil, lang) })}</span>
              {readyById.get(d.toUser) === false && (
                <div className={s.fieldError}>{t('admin.signing.deputyNotReady', { user: d.toName })}</div>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className={s.help}>
        {t('admin.signing.delegationsHelp')} <Link to="/signing">{t('admin.signing.delegationsLink')}</Link>
      </p>
    </section>
  );
}
