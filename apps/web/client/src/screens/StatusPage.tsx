import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, LangSwitch, Loading } from '../components.js';
import { dateOnly, dateTime } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { navigate, useLocation } from '../router.js';
import s from '../ui.module.css';

interface PublicStatus {
  code: string;
  procedureName: string;
  phase: string;
  receivedAt: string;
  appointment: string | null;
  overdue: boolean;
}

/**
 * A dossier's status in plain words, as a citizen reads it: on the public status page and on the page of a
 * citizen's own dossiers (which also names the unit).
 */
export function StatusDetails({ status, unitName }: { status: PublicStatus; unitName?: string }) {
  const { t, lang } = useI18n();
  return (
    <>
      <p className={s.statusBig}>{t(`status.plain.${status.phase}` as MessageKey)}</p>
      <dl className={s.dl}>
        <dt>{t('status.code')}</dt>
        <dd>{status.code}</dd>
        <dt>{t('status.procedure')}</dt>
        <dd>{status.procedureName}</dd>
        {unitName !== undefined && (
          <>
            <dt>{t('citizen.unit')}</dt>
            <dd>{unitName}</dd>
          </>
        )}
        <dt>{t('status.received')}</dt>
        <dd>{dateOnly(status.receivedAt, lang)}</dd>
        <dt>{t('status.appointment')}</dt>
        <dd>
          <strong>{dateTime(status.appointment, lang)}</strong>
        </dd>
      </dl>
      {status.overdue && <p className={s.alert}>{t('status.overdue')}</p>}
    </>
  );
}

/** Screen 6: the public status page (the receipt's QR code), mobile first, big plain words, no login. */
export function StatusPage() {
  const { t, lang } = useI18n();
  const { search } = useLocation();
  const [code, setCode] = useState(search.get('code') ?? '');
  const [secret, setSecret] = useState(search.get('secret') ?? '');
  const [status, setStatus] = useState<PublicStatus | null>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError>();

  const qc = search.get('code');
  const qs = search.get('secret');
  useEffect(() => {
    if (!qc || !qs) return;
    setLoading(true);
    setError(undefined);
    api<PublicStatus>(`/api/public/status?${new URLSearchParams({ code: qc, secret: qs })}`)
      .then(setStatus, (e) => {
        setStatus(null);
        if (e instanceof ApiError && e.status !== 404 && e.status !== 400) setError(e);
      })
      .finally(() => setLoading(false));
  }, [qc, qs]);

  return (
    <>
      <header className={s.publicHeader}>
        <strong>{t('app.tagline')}</strong>
        <LangSwitch />
      </header>
      <main id="main" className={s.public}>
        <h1>{t('status.title')}</h1>
        {loading && <Loading />}
        {status && (
          <section className={s.card} aria-live="polite" data-testid="public-status">
            <p className={s.help} style={{ margin: 0 }}>
              {t('status.phase')}
            </p>
            <StatusDetails status={status} />
          </section>
        )}
        {status === null && !error && (
          <p className={s.alert} role="alert">
            {t('status.notFound')}
          </p>
        )}
        {error && (
          <p className={s.alert} role="alert">
            {error.problem.detail[lang]}
          </p>
        )}
        <form
          className={s.card}
          onSubmit={(e) => {
            e.preventDefault();
            navigate(`/status?${new URLSearchParams({ code: code.trim(), secret: secret.trim() })}`);
          }}
        >
          <p>{t('status.intro')}</p>
          <Field label={t('status.code')}>
            {(p) => (
              <input
                {...p}
                name="code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoComplete="off"
                required
              />
            )}
          </Field>
          <Field label={t('status.secret')}>
            {(p) => (
              <input
                {...p}
                name="secret"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                autoComplete="off"
                required
              />
            )}
          </Field>
          <button className={s.btn} type="submit">
            {t('status.lookup')}
          </button>
        </form>
        <p>{t('status.help')}</p>
        <p>
          <a href="/my-dossiers">{t('citizen.link')}</a>
        </p>
      </main>
    </>
  );
}
