import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, Loading, ProblemBox } from '../components.js';
import { dateTime, vnd } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import s from '../ui.module.css';
import a from './admin.module.css';

interface Account {
  treasuryCode: string;
  accountNumber: string;
  holder: string;
}
interface ReadinessItem {
  check: string;
  status: 'ok' | 'warning' | 'missing';
  message: { vi: string; en: string };
}
interface TreasuryConfig {
  unitCode: string;
  unitName: string;
  configured: boolean;
  channel: boolean;
  chapter: string | null;
  collectingAgency: string | null;
  account: Account | null;
  provinceDesignatedAccount: Account | null;
  usesDesignatedAccount: boolean;
  subItems: Record<string, string>;
  feeItems: { itemId: string; kind: 'fee' | 'charge'; name: { vi?: string; en?: string } }[];
  classification: {
    id: string;
    subItems: { code: string; kind: 'fee' | 'charge'; name: string; verified: boolean }[];
  };
  readiness: { ready: boolean; items: ReadinessItem[] };
  updatedAt: string | null;
}
interface Unremitted {
  id: string;
  dossierCode?: string;
  method: 'counter' | 'vietqr' | 'platform';
  amount: number;
  paidAt: string | null;
  remitBy: string | null;
  late: boolean;
  treasuryStatus: 'submitted' | 'credited' | 'rejected' | null;
  treasuryReason: string | null;
}

const BADGE: Record<ReadinessItem['status'], string | undefined> = {
  ok: s.inTime,
  warning: s.soon,
  missing: s.overdue,
};
/** The treasury's refusal codes an officer can act on, in words (others are shown as they are). */
const REASON_KEY: Record<string, MessageKey> = {
  'collection.unknown_account': 'admin.fees.reason.unknownAccount',
  'collection.conflict': 'admin.fees.reason.conflict',
};
const EMPTY_ACCOUNT: Account = { treasuryCode: '', accountNumber: '', holder: '' };

/** The form as typed (strings), from the stored configuration. */
const formOf = (c: TreasuryConfig) => ({
  chapter: c.chapter ?? '',
  collectingAgency: c.collectingAgency ?? '',
  own: Boolean(c.account),
  account: c.account ?? { ...EMPTY_ACCOUNT, holder: `UBND ${c.unitName}` },
  subItems: { ...c.subItems },
});

/**
 * Screen 8's fee accounts: the unit's State Treasury configuration (chapter, collecting agency, its own account
 * or the province's designated one, a sub-item per fee item) with its readiness, and the payments not yet
 * remitted to the budget with their deadline and the treasury's status. Errors appear by the field they name.
 */
export function FeeAccounts({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const [config, setConfig] = useState<TreasuryConfig>();
  const [form, setForm] = useState<ReturnType<typeof formOf>>();
  const [open, setOpen] = useState<{ late: number; payments: Unremitted[] }>();
  const [error, setError] = useState<ApiError>();
  const [formError, setFormError] = useState<ApiError>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<{ resent: number }>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      const [c, u] = await Promise.all([
        api<TreasuryConfig>(`/api/units/${unit}/treasury`),
        api<{ late: number; payments: Unremitted[] }>(`/api/units/${unit}/treasury/unremitted`),
      ]);
      setConfig(c);
      setForm(formOf(c));
      setOpen(u);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, [unit]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    if (!form) return;
    setBusy(true);
    setFieldErrors({});
    setFormError(undefined);
    setSaved(undefined);
    try {
      const subItems = Object.fromEntries(Object.entries(form.subItems).filter(([, v]) => v));
      const r = await api<TreasuryConfig & { resent: number }>(`/api/units/${unit}/treasury`, {
        method: 'PUT',
        body: {
          chapter: form.chapter.trim(),
          collectingAgency: form.collectingAgency.trim(),
          account: form.own
            ? {
                treasuryCode: form.account.treasuryCode.trim(),
                accountNumber: form.account.accountNumber.trim(),
                holder: form.account.holder,
              }
            : null,
          subItems,
        },
      });
      setConfig(r);
      setForm(formOf(r));
      setSaved({ resent: r.resent });
      setOpen(await api(`/api/units/${unit}/treasury/unremitted`));
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldMessages(lang));
        setFormError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const setAccount = (k: keyof Account, v: string) =>
    setForm((f) => (f ? { ...f, account: { ...f.account, [k]: v } } : f));
  const designated = config?.provinceDesignatedAccount;
  const treasuryText = (p: Unremitted) =>
    p.treasuryStatus === 'rejected'
      ? t('admin.fees.treasury.rejected', {
          reason:
            p.treasuryReason && REASON_KEY[p.treasuryReason]
              ? t(REASON_KEY[p.treasuryReason]!)
              : (p.treasuryReason ?? ''),
        })
      : t(p.treasuryStatus === 'submitted' ? 'admin.fees.treasury.submitted' : 'admin.fees.treasury.none');

  return (
    <section className={s.card} aria-labelledby="admin-fee-accounts" data-testid="fee-accounts">
      <h2 id="admin-fee-accounts">{t('admin.feeAccounts')}</h2>
      <ProblemBox error={error} />
      {!config || !form ? (
        !error && <Loading />
      ) : (
        <>
          <p className={s.help}>{t('admin.fees.help')}</p>
          <p className={config.channel ? s.info : s.help} data-testid="fee-accounts-channel">
            {t(config.channel ? 'admin.fees.channelOn' : 'admin.fees.channelOff')}
            {!config.configured && <> {t('admin.fees.notConfigured')}</>}
          </p>
          <h3 style={{ margin: '0.6rem 0 0.3rem' }}>{t('admin.fees.readiness')}</h3>
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="fee-readiness">
            {config.readiness.items.map((i) => (
              <li key={i.check} style={{ margin: '0.2rem 0' }}>
                <span className={`${s.badge} ${BADGE[i.status] ?? ''}`}>
                  {t(`admin.fees.status.${i.status}` as MessageKey)}
                </span>{' '}
                {pick(i.message)}
              </li>
            ))}
          </ul>
          <form
            aria-labelledby="admin-fee-accounts-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <h3 id="admin-fee-accounts-form" style={{ margin: '0.8rem 0 0.3rem' }}>
              {t('admin.fees.formTitle')}
            </h3>
            <div className={s.grid3}>
              <Field
                label={t('admin.fees.chapter')}
                help={t('admin.fees.chapterHelp')}
                error={fieldErrors.chapter}
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    autoComplete="off"
                    value={form.chapter}
                    onChange={(e) => setForm({ ...form, chapter: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label={t('admin.fees.agency')}
                help={t('admin.fees.agencyHelp')}
                error={fieldErrors.collectingAgency}
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    autoComplete="off"
                    value={form.collectingAgency}
                    onChange={(e) => setForm({ ...form, collectingAgency: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <label style={{ display: 'block', margin: '0.4rem 0' }}>
              <input
                type="checkbox"
                checked={form.own}
                onChange={(e) => setForm({ ...form, own: e.target.checked })}
              />{' '}
              {t('admin.fees.ownAccount')}
            </label>
            {fieldErrors.account && (
              <p className={s.fieldError} role="alert">
                {fieldErrors.account}
              </p>
            )}
            {form.own ? (
              <div className={s.grid3}>
                <Field
                  label={t('admin.fees.treasuryCode')}
                  help={t('admin.fees.treasuryCodeHelp')}
                  error={fieldErrors['account.treasuryCode']}
                >
                  {(p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      autoComplete="off"
                      value={form.account.treasuryCode}
                      onChange={(e) => setAccount('treasuryCode', e.target.value)}
                    />
                  )}
                </Field>
                <Field
                  label={t('admin.fees.accountNumber')}
                  help={t('admin.fees.accountNumberHelp')}
                  error={fieldErrors['account.accountNumber']}
                >
                  {(p) => (
                    <input
                      {...p}
                      autoComplete="off"
                      value={form.account.accountNumber}
                      onChange={(e) => setAccount('accountNumber', e.target.value)}
                    />
                  )}
                </Field>
                <Field label={t('admin.fees.holder')} error={fieldErrors['account.holder']}>
                  {(p) => (
                    <input
                      {...p}
                      autoComplete="off"
                      value={form.account.holder}
                      onChange={(e) => setAccount('holder', e.target.value)}
                    />
                  )}
                </Field>
              </div>
            ) : (
              <p className={designated ? s.info : s.fieldError} data-testid="fee-designated">
                {designated
                  ? t('admin.fees.designated', {
                      account: `${designated.treasuryCode} / ${designated.accountNumber}`,
                      holder: designated.holder,
                    })
                  : t('admin.fees.noDesignated')}
              </p>
            )}
            {config.feeItems.length > 0 && (
              <fieldset
                style={{ border: '1px solid #d5dbe1', borderRadius: 6, margin: '0.6rem 0', minWidth: 0 }}
              >
                <legend>{t('admin.fees.subItems', { classification: config.classification.id })}</legend>
                <div className={s.grid3}>
                  {config.feeItems.map((item) => {
                    const name = pick({
                      vi: item.name.vi ?? item.itemId,
                      en: item.name.en ?? item.name.vi ?? item.itemId,
                    });
                    return (
                      <Field
                        key={item.itemId}
                        label={`${name} (${t(`admin.fees.kind.${item.kind}` as MessageKey)})`}
                        error={fieldErrors[`subItems.${item.itemId}`]}
                      >
                        {(p) => (
                          <select
                            {...p}
                            value={form.subItems[item.itemId] ?? ''}
                            onChange={(e) =>
                              setForm({
                                ...form,
                                subItems: { ...form.subItems, [item.itemId]: e.target.value },
                              })
                            }
                          >
                            <option value="">{t('admin.fees.subItemNone')}</option>
                            {config.classification.subItems
                              .filter((x) => x.kind === item.kind || x.code === form.subItems[item.itemId])
                              .map((x) => (
                                <option key={x.code} value={x.code}>
                                  {x.code} · {x.name}
                                </option>
                              ))}
                          </select>
                        )}
                      </Field>
                    );
                  })}
                </div>
              </fieldset>
            )}
            {formError && !formError.problem.issues?.length && <ProblemBox error={formError} />}
            {saved && (
              <p className={s.success} role="status">
                {t('admin.fees.saved')}
                {saved.resent > 0 && <> {t('admin.fees.resent', { n: saved.resent })}</>}
              </p>
            )}
            <button type="submit" className={s.btn} disabled={busy}>
              {t('admin.fees.save')}
            </button>
          </form>
          <h3 id="admin-fee-unremitted" style={{ margin: '1rem 0 0.3rem' }}>
            {t('admin.fees.unremitted')}
            {open && open.late > 0 && (
              <>
                {' '}
                <span className={`${s.badge} ${s.overdue}`}>
                  {t('admin.fees.lateCount', { n: open.late })}
                </span>
              </>
            )}
          </h3>
          {open && open.payments.length === 0 && <p className={s.help}>{t('admin.fees.unremittedNone')}</p>}
          {open && open.payments.length > 0 && (
            <div className={s.tableWrap}>
              <table
                className={`${s.table} ${a.stack}`}
                aria-labelledby="admin-fee-unremitted"
                data-testid="fee-unremitted"
              >
                <thead>
                  <tr>
                    <th scope="col">{t('admin.fees.dossier')}</th>
                    <th scope="col">{t('admin.fees.method')}</th>
                    <th scope="col" className={s.num}>
                      {t('admin.fees.amount')}
                    </th>
                    <th scope="col">{t('admin.fees.paidAt')}</th>
                    <th scope="col">{t('admin.fees.remitBy')}</th>
                    <th scope="col">{t('admin.fees.treasuryStatus')}</th>
                  </tr>
                </thead>
                <tbody>
                  {open.payments.slice(0, 50).map((p) => (
                    <tr key={p.id} data-payment={p.id}>
                      <td>{p.dossierCode ?? '—'}</td>
                      <td>{t(`fee.method.${p.method}` as MessageKey)}</td>
                      <td className={s.num}>{vnd(p.amount, lang)}</td>
                      <td>{dateTime(p.paidAt, lang)}</td>
                      <td>
                        {p.remitBy ? dateTime(p.remitBy, lang) : t('admin.fees.noDeadline')}
                        {p.late && (
                          <>
                            {' '}
                            <span className={`${s.badge} ${s.overdue}`}>{t('admin.fees.late')}</span>
                          </>
                        )}
                      </td>
                      <td>
                        <span
                          className={`${s.badge} ${p.treasuryStatus === 'rejected' ? s.overdue : p.treasuryStatus === 'submitted' ? s.soon : s.done}`}
                          style={{ whiteSpace: 'normal' }}
                        >
                          {treasuryText(p)}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
