import { useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, LangSwitch, ProblemBox } from '../components.js';
import { useI18n } from '../i18n/index.js';
import { navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';

export function Login() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const { search } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <header className={s.publicHeader}>
        <strong>
          {t('app.name')} · {t('app.tagline')}
        </strong>
        <LangSwitch />
      </header>
      <main id="main" className={s.public}>
        <h1>{t('login.title')}</h1>
        <form
          className={s.card}
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(undefined);
            try {
              await api('/api/auth/login', { body: { username, password } });
              await refresh();
              const next = search.get('next');
              navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', true);
            } catch (err) {
              if (err instanceof ApiError) setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field label={t('login.username')}>
            {(p) => (
              <input
                {...p}
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
              />
            )}
          </Field>
          <Field label={t('login.password')}>
            {(p) => (
              <input
                {...p}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            )}
          </Field>
          <ProblemBox error={error} />
          <button className={s.btn} type="submit" disabled={busy}>
            {t('login.submit')}
          </button>
          <p className={s.help}>{t('login.demo')}</p>
        </form>
      </main>
    </>
  );
}
