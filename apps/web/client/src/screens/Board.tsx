import { useEffect, useMemo, useState } from 'react';
import { api, type Procedure, type Unit } from '../api.js';
import { Field, LangSwitch, Loading, NotFound } from '../components.js';
import { feeText, fold, limitText } from '../format.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import s from '../ui.module.css';

function usePublicUnit(unit: string) {
  const [u, setU] = useState<Unit | null>();
  const [procedures, setProcedures] = useState<Procedure[]>();
  useEffect(() => {
    api<Unit>(`/api/public/units/${unit}`).then(setU, () => setU(null));
    api<Procedure[]>(`/api/public/units/${unit}/procedures`).then(setProcedures, () => setProcedures([]));
  }, [unit]);
  return { u, procedures };
}

const qrSrc = (url: string) => `/api/qr.svg?text=${encodeURIComponent(url)}`;

/** Screen 5: the public procedure board, large type, a QR code per procedure leading to its documents. */
export function Board({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const { u, procedures } = usePublicUnit(unit);
  const [q, setQ] = useState('');
  const shown = useMemo(
    () => (procedures ?? []).filter((p) => fold(`${p.name.vi} ${p.name.en}`).includes(fold(q.trim()))),
    [procedures, q],
  );
  if (u === null) return <NotFound />;
  return (
    <>
      <header className={s.publicHeader}>
        <strong>{t('app.tagline')}</strong>
        <LangSwitch />
      </header>
      <main id="main" className={s.boardWide}>
        <h1>{t('board.title', { unit: u?.name ?? unit })}</h1>
        <p>{t('board.scan')}</p>
        <div style={{ maxWidth: '30rem', fontSize: '1.2rem' }}>
          <Field label={t('board.search')}>
            {(p) => (
              <input
                {...p}
                type="search"
                value={q}
                onChange={(e) => setQ(e.target.value)}
                style={{ fontSize: '1.2rem' }}
              />
            )}
          </Field>
        </div>
        {!procedures ? (
          <Loading />
        ) : (
          <ul className={s.board} style={{ listStyle: 'none', padding: 0 }}>
            {shown.map((p) => {
              const url = `${window.location.origin}/board/${unit}/${encodeURIComponent(p.code)}`;
              return (
                <li key={p.code} className={s.boardItem}>
                  <img
                    src={qrSrc(url)}
                    alt={t('board.qrAlt', { name: pick(p.name) })}
                    width={112}
                    height={112}
                    loading="lazy"
                  />
                  <div>
                    <Link to={`/board/${unit}/${encodeURIComponent(p.code)}`}>
                      <strong>{pick(p.name)}</strong>
                    </Link>
                    <div>{limitText(p.limit, t)}</div>
                    <div className={s.help} style={{ fontSize: '1rem' }}>
                      {feeText(p, t, lang).join('; ')}
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </main>
    </>
  );
}

/** The page a board QR code opens: what to bring, how long it takes, what it costs. */
export function BoardProcedure({ unit, code }: { unit: string; code: string }) {
  const { t, lang, pick } = useI18n();
  const { u, procedures } = usePublicUnit(unit);
  if (u === null) return <NotFound />;
  if (!procedures) return <Loading />;
  const p = procedures.find((x) => x.code === code);
  if (!p) return <NotFound />;
  return (
    <>
      <header className={s.publicHeader}>
        <strong>{u?.name ?? t('app.tagline')}</strong>
        <LangSwitch />
      </header>
      <main id="main" className={s.public}>
        <p>
          <Link to={`/board/${unit}`}>← {t('common.back')}</Link>
        </p>
        <h1>{pick(p.name)}</h1>
        <dl className={s.dl}>
          <dt>{t('reception.limit')}</dt>
          <dd>{limitText(p.limit, t)}</dd>
          <dt>{t('reception.fee')}</dt>
          <dd>{feeText(p, t, lang).join('; ')}</dd>
          <dt>{t('reception.channels')}</dt>
          <dd>{p.channels.map((c) => t(`channel.${c}`)).join(', ')}</dd>
        </dl>
        <h2>{t('reception.documents')}</h2>
        {p.documents.length === 0 ? (
          <p>{t('reception.noDocuments')}</p>
        ) : (
          <ol>
            {p.documents.map((d) => (
              <li key={d.name}>{d.name}</li>
            ))}
          </ol>
        )}
      </main>
    </>
  );
}
