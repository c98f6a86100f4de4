import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { LangSwitch, Loading } from '../components.js';
import { useI18n } from '../i18n/index.js';
import s from '../ui.module.css';
import { StatusDetails } from './StatusPage.js';

interface Citizen {
  name: string;
  personalIdMasked: string;
  expiresAt: string;
}
interface CitizenDossier {
  code: string;
  unitName: string;
  procedureName: string;
  phase: string;
  receivedAt: string;
  appointment: string | null;
  overdue: boolean;
}

/**
 * "Tra cứu hồ sơ của tôi": a citizen signs in with their electronic identity (OpenID Connect) and sees the
 * dossiers filed in their name, mobile first like the public status page. No staff rights: a separate session.
 */
export function MyDossiers() {
  const { t, lang } = useI18n();
  const [citizen, setCitizen] = useState<Citizen | null>();
  const [items, setItems] = useState<CitizenDossier[]>();
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    api<Citizen>('/api/citizen/me').then(
      (me) => {
        setCitizen(me);
        api<{ items: CitizenDossier[] }>('/api/citizen/dossiers').then(
          (r) => setItems(r.items),
          (e) => setError(e as ApiError),
        );
      },
      (e) => {
        setCitizen(null);
        // 401: not signed in (the page offers the sign-in); anything else is shown.
        if (e instanceof ApiError && e.status !== 401) setError(e);
      },
    );
  }, []);

  const signOut = async () => {
    await api('/api/citizen/logout', { method: 'POST' }).catch(() => undefined);
    setCitizen(null);
    setItems(undefined);
  };

  return (
    <>
      <header className={s.publicHeader}>
        <strong>{t('app.tagline')}</strong>
        <LangSwitch />
      </header>
      <main id="main" className={s.public}>
        <h1>{t('citizen.title')}</h1>
        {citizen === undefined && <Loading />}
        {error && (
          <p className={s.alert} role="alert">
            {error.problem.detail[lang]}
          </p>
        )}
        {citizen === null && (
          <section className={s.card}>
            <p>{t('citizen.intro')}</p>
            <a
              className={s.btn}
              href="/api/citizen/login?returnTo=/my-dossiers"
              data-testid="citizen-sign-in"
            >
              {t('citizen.signIn')}
            </a>
            <p className={s.help}>{t('citizen.privacy')}</p>
          </section>
        )}
        {citizen && (
          <>
            <p>
              {t('citizen.signedInAs', { name: citizen.name, id: citizen.personalIdMasked })}{' '}
              <button type="button" className={s.btnSecondary} onClick={signOut}>
                {t('citizen.signOut')}
              </button>
            </p>
            {items === undefined && !error && <Loading />}
            {items?.length === 0 && <p>{t('citizen.none')}</p>}
            {items?.map((d) => (
              <section key={d.code} className={s.card} data-testid="citizen-dossier">
                <StatusDetails status={d} unitName={d.unitName} />
              </section>
            ))}
          </>
        )}
        <p>
          <a href="/status">{t('citizen.byCode')}</a>
        </p>
      </main>
    </>
  );
}
