import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, ProblemBox } from '../components.js';
import { dateTime, vnd } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';
import a from './admin.module.css';

interface FeeLine {
  type: 'item' | 'relief';
  ruleId: string;
  itemId: string;
  name: { vi: string; en?: string };
  detail?: string;
  legalBasis?: string;
  amount: number;
}
interface Payment {
  id: string;
  method: 'counter' | 'vietqr' | 'platform';
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'flagged';
  amount: number;
  paidAmount: number | null;
  platformPaymentId: string | null;
  vietQr: string | null;
  expiresAt: string | null;
  paidAt: string | null;
  receiptNumber: string | null;
  treasuryAccount: string | null;
  designatedAccount: boolean | null;
  remitBy: string | null;
  remittedAt?: string | null;
  treasuryStatus?: 'submitted' | 'credited' | 'rejected' | null;
  treasuryReference?: string | null;
  creditedAt?: string | null;
  treasuryReason?: string | null;
  flags: string[];
}
interface Fee {
  dossierId: string;
  status: 'due' | 'paid' | 'waived' | 'unpriced';
  amount: number;
  warnings: { code: string; message: { vi: string; en: string } }[];
  reference: string;
  lines: FeeLine[];
  paidAt: string | null;
  receiptNumber: string | null;
  receiptUrl: string | null;
  payments: Payment[];
  pendingPayment: Payment | null;
  account: { account: string; holder: string; designated: boolean } | null;
  onlinePayment: boolean;
  demoPay: boolean;
}
interface QrAnswer {
  payment: Payment;
  vietQr: string;
  svg: string;
  bankBin: string;
  accountNumber: string;
  amount: number;
  purpose: string;
}

const POLL_MS = 2500;
/** The facts statutory exemptions test (@motcua/treasury `STATUTORY_RELIEFS`). */
const FEE_CONDITIONS = ['registeredOnTime', 'meritoriousFamily', 'poorHousehold', 'disability'] as const;

/**
 * The fee panel of the dossier page: the fee computed from the procedure's schedule (each line with its
 * legal basis), collection at the counter, or a VietQR the citizen scans (the panel polls until the payment
 * platform's callback marks it paid), and the receipt once paid.
 */
export function FeePanel({
  dossier,
  onPaid,
}: {
  dossier: { id: string; unitCode: string };
  onPaid: () => void;
}) {
  const { t, lang } = useI18n();
  const { roles } = useSession();
  const mine = roles(dossier.unitCode);
  const canCollect = mine.has('receptionist') || mine.has('unitAdmin');
  const [fee, setFee] = useState<Fee | null>();
  const [qr, setQr] = useState<QrAnswer>();
  const [mode, setMode] = useState<'counter' | 'count'>();
  const [amount, setAmount] = useState('');
  const [count, setCount] = useState({ pages: '', copies: '', cases: '' });
  const [conditions, setConditions] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [justPaid, setJustPaid] = useState(false);

  const load = useCallback(
    () =>
      api<Fee>(`/api/dossiers/${dossier.id}/fee`).then(
        (f) => {
          setFee(f);
          return f;
        },
        (e) => {
          if (e instanceof ApiError) setError(e);
          setFee(null);
          return null;
        },
      ),
    [dossier.id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const pending = fee?.status === 'due' ? fee.pendingPayment : null;
  // Poll while a VietQR waits for the citizen: the platform's callback marks it paid on the server.
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      void load().then((f) => {
        if (f?.status === 'paid') {
          setQr(undefined);
          setJustPaid(true);
          onPaid();
        }
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, load, onPaid]);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldMessages(lang));
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  if (fee === undefined) return null;
  if (fee === null)
    return (
      <section className={s.card} aria-labelledby="fee-h">
        <h2 id="fee-h">{t('fee.title')}</h2>
        <ProblemBox error={error} />
      </section>
    );

  const collect = () =>
    run(async () => {
      await api(`/api/dossiers/${dossier.id}/fee/counter`, { body: { amount: Number(amount) } });
      setMode(undefined);
      setJustPaid(true);
      await load();
      onPaid();
    });
  const askQr = () =>
    run(async () => {
      setQr(await api<QrAnswer>(`/api/dossiers/${dossier.id}/fee/vietqr`, { body: { method: 'vietqr' } }));
      await load();
    });
  const recount = () =>
    run(async () => {
      const n = (v: string) => (v.trim() ? Number(v) : undefined);
      const body: Record<string, unknown> = {};
      if (n(count.pages)) body.documents = [{ pages: n(count.pages), copies: n(count.copies) ?? 1 }];
      else if (n(count.copies)) body.copies = n(count.copies);
      if (n(count.cases)) body.cases = n(count.cases);
      if (conditions.length > 0) body.conditions = conditions;
      setFee(await api<Fee>(`/api/dossiers/${dossier.id}/fee`, { method: 'PUT', body }));
      setMode(undefined);
    });
  const demoPay = (paymentId: string) =>
    run(async () => {
      await api(`/api/payments/${encodeURIComponent(paymentId)}/demo-pay`, { body: {} });
      const f = await load();
      if (f?.status === 'paid') {
        setQr(undefined);
        setJustPaid(true);
        onPaid();
      }
    });

  const countForm = mode === 'count' && (
    <form
      className={s.info}
      aria-label={t('fee.recount')}
      onSubmit={(e) => {
        e.preventDefault();
        void recount();
      }}
      noValidate
    >
      {(['pages', 'copies', 'cases'] as const).map((k) => (
        <Field
          key={k}
          label={t(`fee.count.${k}` as MessageKey)}
          error={fieldErrors[k] ?? fieldErrors[`documents.0.${k}`]}
        >
          {(p) => (
            <input
              {...p}
              name={k}
              inputMode="numeric"
              value={count[k]}
              onChange={(e) => setCount((c) => ({ ...c, [k]: e.target.value.replace(/\D/g, '') }))}
            />
          )}
        </Field>
      ))}
      <fieldset className={a.closure}>
        <legend>{t('fee.conditions')}</legend>
        {FEE_CONDITIONS.map((c) => (
          <label key={c} className={s.check}>
            <input
              type="checkbox"
              name={c}
              checked={conditions.includes(c)}
              onChange={(e) =>
                setConditions((l) => (e.target.checked ? [...l, c] : l.filter((x) => x !== c)))
              }
            />{' '}
            {t(`fee.condition.${c}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <div className={s.row}>
        <button type="submit" className={s.btn} disabled={busy}>
          {t('fee.recountSubmit')}
        </button>
        <button type="button" className={s.btnSecondary} onClick={() => setMode(undefined)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );

  const paid = fee.payments.find((p) => p.status === 'paid');
  const flagged = fee.payments.filter((p) => p.status === 'flagged');
  const qrPayload = qr?.vietQr ?? pending?.vietQr ?? null;
  const platformId = qr?.payment.platformPaymentId ?? pending?.platformPaymentId ?? null;

  return (
    <section className={s.card} aria-labelledby="fee-h" data-testid="fee-panel">
      <h2 id="fee-h">{t('fee.title')}</h2>
      <dl className={s.dl}>
        <dt>{t('fee.amount')}</dt>
        <dd data-testid="fee-amount">
          <strong>{fee.status === 'unpriced' ? '—' : vnd(fee.amount, lang)}</strong>{' '}
          <span
            className={`${s.badge} ${fee.status === 'paid' ? s.done : fee.status === 'due' || fee.status === 'unpriced' ? s.soon : s.inTime}`}
          >
            {t(`fee.status.${fee.status}` as MessageKey)}
          </span>
        </dd>
        {fee.lines.length > 0 && (
          <>
            <dt>{t('fee.lines')}</dt>
            <dd>
              <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
                {fee.lines.map((l) => (
                  <li key={`${l.type}-${l.itemId}-${l.ruleId}`}>
                    {(lang === 'en' && l.name.en) || l.name.vi}
                    {l.detail ? ` (${l.detail})` : ''}: {vnd(l.amount, lang)}
                    {l.legalBasis && <div className={s.help}>{l.legalBasis}</div>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {fee.account && (
          <>
            <dt>{t('fee.account')}</dt>
            <dd>
              {fee.account.account} · {fee.account.holder}
              {fee.account.designated && <div className={s.help}>{t('fee.accountDesignated')}</div>}
            </dd>
          </>
        )}
        {paid && (
          <>
            <dt>{t('fee.paidBy')}</dt>
            <dd>
              {t(`fee.method.${paid.method}` as MessageKey)} · {dateTime(paid.paidAt, lang)}
            </dd>
            <dt>{t('fee.receiptNumber')}</dt>
            <dd data-testid="fee-receipt-number">{paid.receiptNumber}</dd>
            {paid.remitBy && (
              <>
                <dt>{t('fee.remitBy')}</dt>
                <dd>{dateTime(paid.remitBy, lang)}</dd>
              </>
            )}
            {(paid.treasuryStatus || paid.remittedAt) && (
              <>
                <dt>{t('admin.fees.remittance')}</dt>
                <dd data-testid="fee-remitted">
                  {paid.treasuryStatus === 'credited' && paid.treasuryReference
                    ? t('admin.fees.remitted', {
                        reference: paid.treasuryReference,
                        at: dateTime(paid.creditedAt ?? paid.remittedAt, lang),
                      })
                    : paid.remittedAt
                      ? t('admin.fees.remittedByHand', { at: dateTime(paid.remittedAt, lang) })
                      : paid.treasuryStatus === 'rejected'
                        ? t('admin.fees.treasury.rejected', { reason: paid.treasuryReason ?? '' })
                        : t('admin.fees.treasury.submitted')}
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {justPaid && fee.status === 'paid' && (
        <p className={s.success} role="status">
          {t('fee.paidNow')}
        </p>
      )}
      {flagged.length > 0 && (
        <div className={s.alert} role="alert">
          {t('fee.flagged', { n: flagged.length })}
        </div>
      )}
      {fee.status === 'paid' && fee.receiptUrl && (
        <p>
          <a href={fee.receiptUrl} target="_blank" rel="noreferrer">
            {t('fee.receipt')}
          </a>
        </p>
      )}
      {fee.status === 'waived' && <p>{t('fee.waived')}</p>}
      {fee.status === 'unpriced' && (
        <div className={s.alert} data-testid="fee-unpriced">
          <p style={{ marginTop: 0 }}>{t('fee.unpriced')}</p>
          {canCollect && (
            <button
              type="button"
              className={s.btnSecondary}
              aria-pressed={mode === 'count'}
              onClick={() => setMode('count')}
            >
              {t('fee.declare')}
            </button>
          )}
        </div>
      )}
      {fee.status === 'unpriced' && canCollect && countForm}
      {fee.status === 'due' && canCollect && (
        <>
          {qrPayload && (
            <div className={s.info} data-testid="fee-vietqr">
              <p style={{ marginTop: 0 }}>{t('fee.scan')}</p>
              {qr ? (
                // The SVG is drawn by our server from the checked VietQR payload.
                // biome-ignore lint/security/noDangerouslySetInnerHtml: our own server's SVG of a validated payload
                <div role="img" aria-label={t('fee.qrAlt')} dangerouslySetInnerHTML={{ __html: qr.svg }} />
              ) : (
                <img
                  src={`/api/qr.svg?text=${encodeURIComponent(qrPayload)}`}
                  alt={t('fee.qrAlt')}
                  width={260}
                  height={260}
                />
              )}
              {qr && (
                <p className={s.help}>
                  {t('fee.qrDetail', {
                    bank: qr.bankBin,
                    account: qr.accountNumber,
                    amount: vnd(qr.amount, lang),
                    purpose: qr.purpose,
                  })}
                </p>
              )}
              <p role="status" aria-live="polite">
                {t('fee.waiting')}
                {(qr?.payment.expiresAt ?? pending?.expiresAt) &&
                  ` ${t('fee.expires', { at: dateTime(qr?.payment.expiresAt ?? pending?.expiresAt, lang) })}`}
              </p>
              {fee.demoPay && platformId && (
                <button
                  type="button"
                  className={s.btnSecondary}
                  disabled={busy}
                  onClick={() => demoPay(platformId)}
                >
                  {t('fee.demoPay')}
                </button>
              )}
            </div>
          )}
          <div className={s.actions}>
            <button
              type="button"
              className={s.btn}
              aria-pressed={mode === 'counter'}
              onClick={() => {
                setMode('counter');
                setAmount(String(fee.amount));
              }}
            >
              {t('fee.collect')}
            </button>
            {fee.onlinePayment && !qrPayload && (
              <button type="button" className={s.btnSecondary} disabled={busy} onClick={() => void askQr()}>
                {t('fee.vietqr')}
              </button>
            )}
            <button
              type="button"
              className={s.btnSecondary}
              aria-pressed={mode === 'count'}
              onClick={() => setMode('count')}
            >
              {t('fee.recount')}
            </button>
          </div>
          {mode === 'counter' && (
            <form
              className={s.info}
              aria-label={t('fee.collect')}
              onSubmit={(e) => {
                e.preventDefault();
                void collect();
              }}
              noValidate
            >
              <Field label={t('fee.collectAmount')} error={fieldErrors.amount}>
                {(p) => (
                  <input
                    {...p}
                    name="amount"
                    inputMode="numeric"
                    value={amount}
                    onChange={(e) => setAmount(e.target.value.replace(/\D/g, ''))}
                  />
                )}
              </Field>
              <div className={s.row}>
                <button type="submit" className={s.btn} disabled={busy}>
                  {t('fee.collectSubmit')}
                </button>
                <button type="button" className={s.btnSecondary} onClick={() => setMode(undefined)}>
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          )}
          {countForm}
        </>
      )}
      <ProblemBox error={error} />
    </section>
  );
}
