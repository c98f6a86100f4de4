import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, ProblemBox } from '../components.js';
import { dateTime } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';

export interface SignatureEntry {
  step: 'reception' | 'specialist' | 'leader';
  userId: string;
  name: string;
  onBehalfOf?: { userId: string; name: string };
  at: string;
}
export interface SignedDoc {
  id: string;
  dossierId: string;
  purpose: 'scan' | 'result';
  sourceDocumentId: string;
  status: 'partial' | 'complete';
  signatures: SignatureEntry[];
  downloadUrl: string;
  verification?: {
    valid: boolean;
    failures: { vi: string; en: string }[];
    signatures: {
      valid: boolean;
      failures: { vi: string; en: string }[];
      cms?: { failures?: { vi: string; en: string }[] };
    }[];
  } | null;
}
interface Readiness {
  officers: {
    userId: string;
    fullName: string;
    roles: string[];
    provider: 'csc' | 'async' | null;
    ready: boolean;
  }[];
}
export interface DelegationRow {
  id: string;
  fromUser: string;
  fromName: string;
  toUser: string;
  toName: string;
  scope: string;
  validFrom: string;
  validUntil: string;
  active: boolean;
  revokedAt: string | null;
}
type RequestState = {
  status: 'signed' | 'pending' | 'rejected' | 'expired' | 'failed';
  operationId?: string;
  pollUrl?: string;
};

/** The caller's signing set-up (provider) from the unit's readiness report, and the demo's synthetic PIN if any. */
export function useMySigning(unit: string) {
  const { me } = useSession();
  const [provider, setProvider] = useState<'csc' | 'async' | null>();
  const [demo, setDemo] = useState<{ demoPin?: string; needsOtp?: boolean }>();
  const [staff, setStaff] = useState<Readiness['officers']>([]);
  useEffect(() => {
    api<Readiness>(`/api/units/${unit}/signing-readiness`).then(
      (r) => {
        setStaff(r.officers);
        setProvider(r.officers.find((o) => o.userId === me?.id)?.provider ?? null);
      },
      () => setProvider(null),
    );
    api<{ credentials: { demoPin?: string; needsOtp?: boolean }[] }>('/api/demo/signing').then(
      (r) => setDemo(r.credentials[0]),
      () => setDemo(undefined),
    );
  }, [unit, me?.id]);
  return { provider, demo, staff };
}

/**
 * Signs one thing: with the PIN (and OTP) of a CSC credential at once, or by a request the officer confirms
 * on the phone (then polls until the phone answers). The PIN is sent once and never kept.
 */
export function SignForm({
  unit,
  dossierId,
  body,
  label,
  onDone,
  onSent,
}: {
  unit: string;
  dossierId: string;
  body: Record<string, unknown>;
  label: string;
  onDone: () => void;
  /** Called when a request went to the officer's phone. */
  onSent?: () => void;
}) {
  const { t, lang } = useI18n();
  const { provider, demo } = useMySigning(unit);
  const [pin, setPin] = useState('');
  const [otp, setOtp] = useState('');
  const [demoOtp, setDemoOtp] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [state, setState] = useState<RequestState>();

  useEffect(() => {
    if (state?.status !== 'pending' || !state.pollUrl) return;
    const timer = setInterval(() => {
      api<RequestState>(state.pollUrl!).then((r) => {
        setState({ ...state, status: r.status });
        if (r.status === 'signed') onDone();
      }, setError as never);
    }, 2000);
    return () => clearInterval(timer);
  }, [state, onDone]);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<RequestState & { signedDocument?: unknown }>(
        `/api/dossiers/${dossierId}/signatures`,
        {
          body: { ...body, ...(provider === 'csc' ? { pin, ...(otp ? { otp } : {}) } : {}) },
        },
      );
      setPin('');
      setOtp('');
      setState(r);
      if (r.status === 'signed') onDone();
      else onSent?.();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  };
  const fields = error?.fieldMessages(lang) ?? {};

  if (provider === undefined) return null;
  if (provider === null) return <p className={s.alert}>{t('sign.noSetup')}</p>;
  if (state?.status === 'signed')
    return (
      <p className={s.success} role="status">
        {t('sign.signed')}
      </p>
    );
  if (state?.status === 'pending')
    return (
      <div className={s.info} role="status" aria-live="polite">
        <p>{t('sign.waitingPhone')}</p>
        <p>
          <Link to="/signing/phone">{t('sign.phoneLink')}</Link>
        </p>
      </div>
    );
  return (
    <form
      className={s.info}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
    >
      {state && (
        <p className={s.alert} role="alert">
          {t(`sign.state.${state.status}` as MessageKey)}
        </p>
      )}
      {provider === 'csc' ? (
        <>
          <Field
            label={t('sign.pin')}
            error={fields.pin}
            help={demo?.demoPin ? t('sign.demoPin', { pin: demo.demoPin }) : undefined}
          >
            {(p) => (
              <input
                {...p}
                name="pin"
                type="password"
                autoComplete="off"
                inputMode="numeric"
                value={pin}
                onChange={(e) => setPin(e.target.value)}
              />
            )}
          </Field>
          {demo?.needsOtp !== false && (
            <Field
              label={t('sign.otp')}
              error={fields.otp}
              help={demoOtp ? t('sign.demoOtp', { otp: demoOtp }) : t('sign.otpHelp')}
            >
              {(p) => (
                <input
                  {...p}
                  name="otp"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  value={otp}
                  onChange={(e) => setOtp(e.target.value)}
                />
              )}
            </Field>
          )}
          {demo?.needsOtp && (
            <button
              type="button"
              className={s.btnSecondary}
              onClick={() =>
                api<{ demoOtp: string }>('/api/demo/signing/otp', { body: {} }).then(
                  (r) => setDemoOtp(r.demoOtp),
                  setError as never,
                )
              }
            >
              {t('sign.sendOtp')}
            </button>
          )}
        </>
      ) : (
        <p className={s.help}>{t('sign.phoneHelp')}</p>
      )}
      <ProblemBox error={error} />
      <div className={s.row}>
        <button type="submit" className={s.btn} disabled={busy}>
          {provider === 'csc' ? label : t('sign.sendToPhone')}
        </button>
      </div>
    </form>
  );
}

/** A signed document: who signed, when, and whether it verifies. */
export function SignedDocView({ doc }: { doc: SignedDoc }) {
  const { t, lang, pick } = useI18n();
  const v = doc.verification;
  const failures = v
    ? [...v.failures, ...v.signatures.flatMap((x) => [...x.failures, ...(x.cms?.failures ?? [])])]
    : [];
  return (
    <li style={{ marginBottom: '0.75rem' }}>
      <strong>{t(doc.purpose === 'scan' ? 'sign.scan' : 'sign.result')}</strong>{' '}
      <span className={`${s.badge} ${doc.status === 'complete' ? s.done : s.soon}`}>
        {t(doc.status === 'complete' ? 'sign.complete' : 'sign.partial')}
      </span>{' '}
      {v && (
        <span className={`${s.badge} ${v.valid ? s.inTime : s.overdue}`} data-testid="verification">
          {t(v.valid ? 'sign.valid' : 'sign.invalid')}
        </span>
      )}
      <ul>
        {doc.signatures.map((x) => (
          <li key={`${x.step}-${x.at}`}>
            {t(`sign.step.${x.step}` as MessageKey)}: {x.name}
            {x.onBehalfOf ? ` (${t('sign.onBehalf', { name: x.onBehalfOf.name })})` : ''} ·{' '}
            <span className={s.help}>{dateTime(x.at, lang)}</span>
          </li>
        ))}
      </ul>
      {failures.length > 0 && (
        <ul className={s.alert}>
          {failures.map((f) => (
            <li key={f.en}>{pick(f)}</li>
          ))}
        </ul>
      )}
      <a href={doc.downloadUrl}>{t('sign.download')}</a>
    </li>
  );
}

/** The dossier page's signing panel: scans certified at reception, the result signed by specialist then leader. */
export function SignPanel({
  dossier,
  onSigned,
}: {
  dossier: { id: string; unitCode: string };
  onSigned?: () => void;
}) {
  const { t } = useI18n();
  const { roles, me } = useSession();
  const [data, setData] = useState<{
    documents: SignedDoc[];
    pending: { operationId: string; step: string }[];
    documentsToSign: { id: string; name: string; contentType: string }[];
  }>();
  const [delegations, setDelegations] = useState<DelegationRow[]>([]);
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(() => {
    api<typeof data>(`/api/dossiers/${dossier.id}/signatures`).then(setData, (e) => {
      if (e instanceof ApiError && e.status !== 503) setError(e);
    });
    api<DelegationRow[]>(`/api/units/${dossier.unitCode}/delegations`).then(setDelegations, () =>
      setDelegations([]),
    );
  }, [dossier.id, dossier.unitCode]);
  useEffect(() => load(), [load]);
  if (!data) return error ? <ProblemBox error={error} /> : null;
  const mine = roles(dossier.unitCode);
  const result = data.documents.filter((d) => d.purpose === 'result');
  const partial = result.find((d) => d.status === 'partial');
  const forLeader = delegations.filter((d) => d.active && d.toUser === me?.id);
  const done = () => {
    setOpen(undefined);
    load();
    onSigned?.();
  };
  const actions: { key: string; label: string; body: Record<string, unknown> }[] = [];
  if (mine.has('receptionist'))
    for (const doc of data.documentsToSign)
      actions.push({
        key: `scan-${doc.id}`,
        label: t('sign.signScan', { name: doc.name }),
        body: { purpose: 'scan', documentId: doc.id },
      });
  if (mine.has('specialist') && result.length === 0)
    actions.push({
      key: 'result',
      label: t('sign.signResult'),
      body: { purpose: 'result', step: 'specialist' },
    });
  if (mine.has('specialist') && result.length === 0)
    for (const doc of data.documentsToSign.filter((x) => x.contentType === 'application/pdf'))
      actions.push({
        key: `result-${doc.id}`,
        label: t('sign.signResultDoc', { name: doc.name }),
        body: { purpose: 'result', step: 'specialist', documentId: doc.id },
      });
  if (partial && mine.has('leader'))
    actions.push({
      key: 'leader',
      label: t('sign.approve'),
      body: { purpose: 'result', step: 'leader', documentId: partial.sourceDocumentId },
    });
  if (partial)
    for (const d of forLeader)
      actions.push({
        key: `for-${d.id}`,
        label: t('sign.signFor', { name: d.fromName }),
        body: {
          purpose: 'result',
          step: 'leader',
          documentId: partial.sourceDocumentId,
          onBehalfOf: d.fromUser,
        },
      });

  return (
    <section className={s.card} aria-labelledby="signing" data-testid="sign-panel">
      <h2 id="signing">{t('sign.panel')}</h2>
      {data.documents.length === 0 ? (
        <p>{t('sign.none')}</p>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {data.documents.map((d) => (
            <SignedDocView key={d.id} doc={d} />
          ))}
        </ul>
      )}
      {data.pending.length > 0 && (
        <p className={s.info}>{t('sign.pendingCount', { n: data.pending.length })}</p>
      )}
      {actions.length > 0 && (
        <div className={s.actions}>
          {actions.map((a) => (
            <button
              key={a.key}
              type="button"
              className={s.btnSecondary}
              aria-pressed={open === a.key}
              onClick={() => setOpen(a.key)}
            >
              {a.label}
            </button>
          ))}
        </div>
      )}
      {actions
        .filter((a) => a.key === open)
        .map((a) => (
          <SignForm
            key={a.key}
            unit={dossier.unitCode}
            dossierId={dossier.id}
            body={a.body}
            label={a.label}
            onDone={done}
          />
        ))}
    </section>
  );
}
