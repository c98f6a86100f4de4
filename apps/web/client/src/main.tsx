import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { LangSwitch, Loading, NotFound } from './components.js';
import { I18nProvider, type MessageKey, useI18n } from './i18n/index.js';
import { Link, match, navigate, RouterProvider, useLocation } from './router.js';
import { Board, BoardProcedure } from './screens/Board.js';
import { Dashboard } from './screens/Dashboard.js';
import { DossierPage } from './screens/DossierPage.js';
import { Login } from './screens/Login.js';
import { MyDossiers } from './screens/MyDossiers.js';
import { QueueDesk, QueueDisplay } from './screens/Queue.js';
import { Reception } from './screens/Reception.js';
import { StatusPage } from './screens/StatusPage.js';
import { WorkList } from './screens/WorkList.js';
import { SessionProvider, useSession } from './session.js';
import s from './ui.module.css';

const UnitAdmin = lazy(() => import('./screens/UnitAdmin.js').then((m) => ({ default: m.UnitAdmin })));
const Signing = lazy(() => import('./screens/Signing.js').then((m) => ({ default: m.Signing })));

const NAV: { to: string; key: MessageKey; roles?: string[] }[] = [
  { to: '/reception', key: 'nav.reception', roles: ['receptionist', 'unitAdmin'] },
  { to: '/work', key: 'nav.work' },
  { to: '/dashboard', key: 'nav.dashboard' },
  { to: '/queue', key: 'nav.queue', roles: ['receptionist', 'specialist', 'leader', 'unitAdmin'] },
  { to: '/signing', key: 'sign.nav', roles: ['leader', 'specialist'] },
  { to: '/admin', key: 'admin.nav', roles: ['unitAdmin'] },
];

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  const { me, units, unit, setUnit, roles, logout } = useSession();
  const { path } = useLocation();
  const mine = roles();
  return (
    <>
      <a className={s.skip} href="#main">
        {t('app.skip')}
      </a>
      <header className={s.header}>
        <Link to="/" className={s.brand}>
          {t('app.name')}
          <small>{t('app.tagline')}</small>
        </Link>
        <nav className={s.nav} aria-label={t('nav.main')}>
          {NAV.filter((n) => !n.roles || n.roles.some((r) => mine.has(r))).map((n) => (
            <Link key={n.to} to={n.to} aria-current={path.startsWith(n.to) ? 'page' : undefined}>
              {t(n.key)}
            </Link>
          ))}
          {unit && (
            <a href={`/board/${unit}`} target="_blank" rel="noreferrer">
              {t('nav.board')}
            </a>
          )}
        </nav>
        <div className={s.headerRight}>
          {units.length > 1 && (
            <select
              className={s.input}
              aria-label={t('nav.unit')}
              value={unit}
              onChange={(e) => setUnit(e.target.value)}
            >
              {units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name} ({u.code})
                </option>
              ))}
            </select>
          )}
          {units.length === 1 && <span>{units[0]!.name}</span>}
          <span className={s.hideNarrow}>{me?.fullName}</span>
          <LangSwitch />
          <button type="button" className={s.ghost} onClick={() => logout().then(() => navigate('/login'))}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" className={s.main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** Staff pages: sign in first; the home page depends on the role. */
function Staff() {
  const { me, unit, roles } = useSession();
  const { path } = useLocation();
  useEffect(() => {
    if (me === null) navigate(`/login?next=${encodeURIComponent(path + window.location.search)}`, true);
  }, [me, path]);
  if (me === undefined) return <Loading />;
  if (me === null) return null;
  if (!unit) return <Shell>{null}</Shell>;
  let page: React.ReactNode;
  const dossier = match('/dossiers/:id', path);
  if (path === '/' || path === '') {
    const r = roles();
    // A province viewer holds no role in a commune: its home is the figures.
    navigate(r.has('receptionist') ? '/reception' : r.size === 0 ? '/dashboard' : '/work', true);
    return null;
  }
  if (path === '/reception') page = <Reception unit={unit} />;
  else if (path === '/work') page = <WorkList unit={unit} />;
  else if (path === '/dashboard') page = <Dashboard unit={unit} />;
  else if (path === '/queue') page = <QueueDesk unit={unit} />;
  else if (path === '/admin')
    page = (
      <Suspense fallback={<Loading />}>
        <UnitAdmin unit={unit} />
      </Suspense>
    );
  else if (path.startsWith('/signing'))
    page = (
      <Suspense fallback={<Loading />}>
        <Signing unit={unit} path={path} />
      </Suspense>
    );
  else if (dossier) page = <DossierPage id={dossier.id!} />;
  else page = <NotFound />;
  return <Shell>{page}</Shell>;
}

function Routes() {
  const { path } = useLocation();
  if (path === '/status') return <StatusPage />;
  if (path === '/my-dossiers') return <MyDossiers />;
  if (path === '/login') return <Login />;
  const board = match('/board/:unit', path);
  const boardProcedure = match('/board/:unit/:code', path);
  const display = match('/queue/display/:unit', path);
  if (board) return <Board unit={board.unit!} />;
  if (boardProcedure) return <BoardProcedure unit={boardProcedure.unit!} code={boardProcedure.code!} />;
  if (display) return <QueueDisplay unit={display.unit!} />;
  return <Staff />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <RouterProvider>
        <SessionProvider>
          <Routes />
        </SessionProvider>
      </RouterProvider>
    </I18nProvider>
  </StrictMode>,
);
