import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type Channel, type Dossier, type Procedure } from '../api.js';
import { Field, Loading, ProblemBox } from '../components.js';
import { dateTime, feeText, fold, fromLocalInput, limitText, toLocalInput } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import s from '../ui.module.css';
import a from './admin.module.css';

// The camera (and ZXing where the browser has no BarcodeDetector) loads only when the officer opens it.
const CameraScan = lazy(() => import('./CameraScan.js').then((m) => ({ default: m.CameraScan })));

interface AddressCandidate {
  code: string;
  name: string;
  provinceCode: string;
  provinceName: string;
  confidence: number;
  reason: string;
  formatted: string;
}
interface ChosenAddress {
  detail: string;
  communeCode: string;
  provinceCode: string;
  formatted: string;
}
const ASSIST_REASONS = ['elderly', 'ethnicMinority', 'disability', 'noDevice', 'other'] as const;
type AssistReason = (typeof ASSIST_REASONS)[number];

interface Preview {
  appointment: string;
  countedFrom: string;
  explanation: { vi: string; en: string }[];
}
interface IntakeAnswer {
  dossier: Dossier;
  lookupSecret: string;
  receiptUrl: string;
}
const EMPTY = { fullName: '', personalId: '', dateOfBirth: '', sex: '', phone: '', email: '' };
const DOC_FORM: Record<string, MessageKey> = {
  original: 'reception.docOriginal',
  copy: 'reception.docCopy',
  certifiedCopy: 'reception.docCertifiedCopy',
};

/** Screen 1: the reception desk. Procedure, applicant (ID card QR or typing), channel and time, appointment, receipt. */
export function Reception({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const [procedures, setProcedures] = useState<Procedure[]>();
  const [query, setQuery] = useState('');
  const [code, setCode] = useState<string>();
  const [person, setPerson] = useState(EMPTY);
  const [cardAddress, setCardAddress] = useState('');
  const [qr, setQr] = useState('');
  const [qrError, setQrError] = useState<string>();
  const [qrOk, setQrOk] = useState(false);
  const [channel, setChannel] = useState<Channel>('direct');
  const [receivedAt, setReceivedAt] = useState<string>();
  const [verification, setVerification] = useState(false);
  const [preview, setPreview] = useState<Preview>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<IntakeAnswer>();
  const [camera, setCamera] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [lookup, setLookup] = useState<{ busy?: boolean; ok?: string; error?: ApiError }>({});
  const [addressText, setAddressText] = useState('');
  const [candidates, setCandidates] = useState<{
    list: AddressCandidate[];
    ambiguous: boolean;
    rest: string;
  }>();
  const [address, setAddress] = useState<ChosenAddress>();
  const [addressError, setAddressError] = useState<string>();
  const [assisted, setAssisted] = useState(false);
  const [assistReason, setAssistReason] = useState<AssistReason>('elderly');
  const [assistNote, setAssistNote] = useState('');
  const doneRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    searchRef.current?.focus();
    setProcedures(undefined);
    api<Procedure[]>(`/api/units/${unit}/procedures`).then(setProcedures, setError);
  }, [unit]);
  const procedure = procedures?.find((p) => p.code === code);
  const matches = useMemo(() => {
    const q = fold(query.trim());
    if (!procedures) return [];
    if (!q) return procedures;
    return procedures.filter((p) => fold(`${p.name.vi} ${p.name.en} ${p.code}`).includes(q));
  }, [procedures, query]);

  useEffect(() => {
    if (procedure && !procedure.channels.includes(channel)) setChannel(procedure.channels[0] ?? 'direct');
    if (procedure && !procedure.limit.onVerification) setVerification(false);
  }, [procedure, channel]);

  // The appointment, live: recomputed on the unit's calendar when the procedure, channel or time changes.
  useEffect(() => {
    if (!code) {
      setPreview(undefined);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      api<Preview>(`/api/units/${unit}/appointment-preview`, {
        body: {
          procedureCode: code,
          channel,
          ...(receivedAt ? { receivedAt: fromLocalInput(receivedAt) } : {}),
          verification,
        },
      }).then(
        (p) => !stale && setPreview(p),
        () => !stale && setPreview(undefined),
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [unit, code, channel, receivedAt, verification]);

  // @motcua/core (and zod under it) loads with the first scan, outside the main bundle.
  const readQr = async (text: string) => {
    setQrOk(false);
    if (!text.trim()) return;
    const { parseCccdQr, ValidationError } = await import('@motcua/core');
    try {
      const card = parseCccdQr(text);
      setPerson((p) => ({
        ...p,
        fullName: card.fullName,
        personalId: card.personalId,
        dateOfBirth: card.dateOfBirth,
        sex: card.sex,
      }));
      setCardAddress(card.address);
      setAddressText(card.address);
      void convert(card.address);
      setQrError(undefined);
      setQrOk(true);
      setQr('');
    } catch (e) {
      setQrError(e instanceof ValidationError ? e.issues.map((i) => pick(i.message)).join('; ') : String(e));
    }
  };

  // An address typed old (with its district) or new: the new two-level units, the officer choosing when
  // an old commune was split.
  const convert = async (text: string) => {
    setAddress(undefined);
    setCandidates(undefined);
    setAddressError(undefined);
    if (text.trim().length < 3) return;
    try {
      const r = await api<{ ambiguous: boolean; rest: string; candidates: AddressCandidate[] }>(
        '/api/address/convert',
        { body: { text } },
      );
      setCandidates({ list: r.candidates, ambiguous: r.ambiguous, rest: r.rest });
      const first = r.candidates[0];
      if (!first) setAddressError(t('desk.addressNone'));
      else if (!r.ambiguous)
        setAddress({
          detail: r.rest || first.name,
          communeCode: first.code,
          provinceCode: first.provinceCode,
          formatted: first.formatted,
        });
    } catch (e) {
      if (e instanceof ApiError) setAddressError(pick(e.problem.detail));
    }
  };

  // The applicant from the population database, by the personal ID number, with the purpose stated.
  const lookUp = async () => {
    setLookup({ busy: true });
    try {
      const r = await api<{
        personalId: string;
        fullName: string;
        dateOfBirth: string;
        sex: 'male' | 'female';
        address: { detail: string; communeCode: string; provinceCode: string };
        addressText: string;
      }>(`/api/units/${unit}/population/lookup`, {
        body: {
          personalId: person.personalId.trim(),
          purpose: purpose.trim() || defaultPurpose,
        },
      });
      setPerson((p) => ({
        ...p,
        fullName: r.fullName,
        personalId: r.personalId,
        dateOfBirth: r.dateOfBirth,
        sex: r.sex,
      }));
      setAddressText(r.addressText);
      setCandidates(undefined);
      setAddress({ ...r.address, formatted: r.addressText });
      setLookup({ ok: t('desk.lookupFilled') });
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors((f) => ({ ...f, ...e.fieldMessages(lang) }));
        setLookup({ error: e });
      } else setLookup({});
    }
  };
  const defaultPurpose = `${t('desk.purposeDefault')}${procedure ? `: ${procedure.name.vi}` : ''}`;

  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setPerson((p) => ({ ...p, [k]: e.target.value }));
  const err = (k: string) => fieldErrors[`applicant.person.${k}`];

  const submit = async () => {
    if (!code) return;
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    const p = Object.fromEntries(Object.entries(person).filter(([, v]) => v.trim() !== ''));
    try {
      const r = await api<IntakeAnswer>(`/api/units/${unit}/dossiers`, {
        body: {
          procedureCode: code,
          channel,
          applicant: {
            kind: 'person',
            person: {
              fullName: person.fullName,
              ...p,
              ...(address
                ? {
                    address: {
                      detail: address.detail,
                      communeCode: address.communeCode,
                      provinceCode: address.provinceCode,
                    },
                  }
                : {}),
            },
          },
          ...(assisted && channel === 'online'
            ? {
                assistance: {
                  reason: assistReason,
                  ...(assistNote.trim() ? { note: assistNote.trim() } : {}),
                },
              }
            : {}),
          ...(receivedAt ? { receivedAt: fromLocalInput(receivedAt) } : {}),
          ...(verification ? { verification: true } : {}),
        },
      });
      setDone(r);
      setTimeout(() => doneRef.current?.focus(), 0);
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldMessages(lang));
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setDone(undefined);
    setPerson(EMPTY);
    setCardAddress('');
    setQrOk(false);
    setCode(undefined);
    setQuery('');
    setReceivedAt(undefined);
    setVerification(false);
    setError(undefined);
    setAddressText('');
    setAddress(undefined);
    setCandidates(undefined);
    setAssisted(false);
    setAssistNote('');
    setLookup({});
    setCamera(false);
    setTimeout(() => searchRef.current?.focus(), 0);
  };

  if (done)
    return (
      <section className={s.card} aria-labelledby="done-title">
        <div className={s.success} ref={doneRef} tabIndex={-1}>
          <h1 id="done-title">{t('reception.done', { code: done.dossier.code })}</h1>
          <dl className={s.dl}>
            <dt>{t('dossier.procedure')}</dt>
            <dd>{done.dossier.procedureName}</dd>
            <dt>{t('reception.appointment')}</dt>
            <dd className={s.appointment}>{dateTime(done.dossier.appointment, lang)}</dd>
            <dt>{t('reception.secret')}</dt>
            <dd>
              <code data-testid="lookup-secret">{done.lookupSecret}</code>
            </dd>
          </dl>
        </div>
        <div className={s.row}>
          <a
            className={s.btn}
            href={done.receiptUrl}
            target="_blank"
            rel="noreferrer"
            data-testid="receipt-link"
          >
            {t('reception.openReceipt')}
          </a>
          <Link className={s.btnSecondary} to={`/dossiers/${done.dossier.id}`}>
            {t('reception.openDossier')}
          </Link>
          <button type="button" className={s.btnSecondary} onClick={reset}>
            {t('reception.next')}
          </button>
        </div>
      </section>
    );

  return (
    <>
      <h1>{t('reception.title')}</h1>
      <div className={s.grid2}>
        <section className={s.card} aria-labelledby="proc-title">
          <h2 id="proc-title">{t('reception.procedure')}</h2>
          <Field label={t('reception.searchLabel')}>
            {(p) => (
              <input
                {...p}
                ref={searchRef}
                type="search"
                placeholder={t('reception.searchPlaceholder')}
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && matches[0]) {
                    e.preventDefault();
                    setCode(matches[0].code);
                  }
                }}
              />
            )}
          </Field>
          {!procedures ? (
            <Loading />
          ) : matches.length === 0 ? (
            <p>{t('reception.noMatch')}</p>
          ) : (
            <ul className={s.list} aria-label={t('reception.procedure')}>
              {matches.map((p) => (
                <li key={p.code}>
                  <button
                    type="button"
                    className={s.option}
                    aria-pressed={p.code === code}
                    onClick={() => setCode(p.code)}
                  >
                    {pick(p.name)} <span className={s.optionCode}>· {p.code}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {procedure && (
            <div className={s.info} data-testid="procedure-detail">
              <h3 style={{ margin: '0 0 0.4rem' }}>{pick(procedure.name)}</h3>
              <dl className={s.dl}>
                <dt>{t('reception.limit')}</dt>
                <dd>{limitText(procedure.limit, t)}</dd>
                <dt>{t('reception.fee')}</dt>
                <dd>
                  {feeText(procedure, t, lang).map((f) => (
                    <div key={f}>{f}</div>
                  ))}
                </dd>
                <dt>{t('reception.channels')}</dt>
                <dd>{procedure.channels.map((c) => t(`channel.${c}`)).join(', ')}</dd>
              </dl>
              <h4 style={{ margin: '0.5rem 0 0.25rem' }}>{t('reception.documents')}</h4>
              {procedure.documents.length === 0 ? (
                <p className={s.help}>{t('reception.noDocuments')}</p>
              ) : (
                <ol style={{ margin: 0, paddingLeft: '1.2rem' }}>
                  {procedure.documents.map((d) => (
                    <li key={d.name}>
                      {d.name}
                      {d.form && DOC_FORM[d.form]
                        ? ` (${t(DOC_FORM[d.form]!)}${d.count ? ` × ${d.count}` : ''})`
                        : ''}
                      {d.template ? <span className={s.help}> — {d.template}</span> : null}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          )}
        </section>

        <form
          className={s.card}
          aria-labelledby="applicant-title"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          <h2 id="applicant-title">{t('reception.applicant')}</h2>
          <Field label={t('reception.qr')} help={t('reception.qrHelp')} error={qrError}>
            {(p) => (
              <input
                {...p}
                name="cccd-qr"
                autoComplete="off"
                value={qr}
                onChange={(e) => setQr(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void readQr(qr);
                  }
                }}
                onPaste={(e) => {
                  const text = e.clipboardData.getData('text');
                  if (text.includes('|')) {
                    e.preventDefault();
                    void readQr(text);
                  }
                }}
              />
            )}
          </Field>
          {qrOk && (
            <p className={s.success} role="status">
              {t('reception.qrFilled')}
            </p>
          )}
          {camera ? (
            <Suspense fallback={<Loading />}>
              <CameraScan
                onText={(text) => {
                  setCamera(false);
                  void readQr(text);
                }}
                onClose={() => setCamera(false)}
              />
            </Suspense>
          ) : (
            <button type="button" className={s.btnSecondary} onClick={() => setCamera(true)}>
              {t('desk.camera')}
            </button>
          )}
          <div className={s.grid3}>
            <Field label={`${t('reception.fullName')} *`} error={err('fullName')}>
              {(p) => (
                <input
                  {...p}
                  name="fullName"
                  value={person.fullName}
                  onChange={set('fullName')}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field label={t('reception.personalId')} error={err('personalId')}>
              {(p) => (
                <input
                  {...p}
                  name="personalId"
                  inputMode="numeric"
                  value={person.personalId}
                  onChange={set('personalId')}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field label={t('reception.dateOfBirth')} error={err('dateOfBirth')}>
              {(p) => (
                <input
                  {...p}
                  name="dateOfBirth"
                  type="date"
                  value={person.dateOfBirth}
                  onChange={set('dateOfBirth')}
                />
              )}
            </Field>
            <Field label={t('reception.sex')} error={err('sex')}>
              {(p) => (
                <select {...p} name="sex" value={person.sex} onChange={set('sex')}>
                  <option value="">{t('reception.sexUnset')}</option>
                  <option value="male">{t('reception.sexMale')}</option>
                  <option value="female">{t('reception.sexFemale')}</option>
                </select>
              )}
            </Field>
            <Field label={t('reception.phone')} error={err('phone')}>
              {(p) => (
                <input
                  {...p}
                  name="phone"
                  type="tel"
                  value={person.phone}
                  onChange={set('phone')}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field label={t('reception.email')} error={err('email')}>
              {(p) => (
                <input
                  {...p}
                  name="email"
                  type="email"
                  value={person.email}
                  onChange={set('email')}
                  autoComplete="off"
                />
              )}
            </Field>
          </div>
          {/* The card's address stays in view once the officer has changed the address field. */}
          {cardAddress && cardAddress !== addressText && (
            <p className={s.help}>
              <strong>{t('reception.cardAddress')}:</strong> {cardAddress}
            </p>
          )}
          <div className={s.row} style={{ alignItems: 'flex-end' }}>
            <Field label={t('desk.purpose')} help={t('desk.purposeHelp')}>
              {(p) => (
                <input
                  {...p}
                  name="purpose"
                  value={purpose}
                  placeholder={defaultPurpose}
                  onChange={(e) => setPurpose(e.target.value)}
                />
              )}
            </Field>
            <div className={s.field}>
              <button
                type="button"
                className={s.btnSecondary}
                disabled={lookup.busy || !/^\d{12}$/.test(person.personalId.trim())}
                onClick={() => void lookUp()}
              >
                {t('desk.lookup')}
              </button>
            </div>
          </div>
          {lookup.ok && (
            <p className={s.success} role="status">
              {lookup.ok}
            </p>
          )}
          {lookup.error && !lookup.error.problem.issues && <ProblemBox error={lookup.error} />}
          <div className={s.row} style={{ alignItems: 'flex-end' }}>
            <Field label={t('desk.address')} help={t('desk.addressHelp')} error={addressError}>
              {(p) => (
                <input
                  {...p}
                  name="address"
                  autoComplete="off"
                  value={addressText}
                  onChange={(e) => {
                    setAddressText(e.target.value);
                    setAddress(undefined);
                    setCandidates(undefined);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void convert(addressText);
                    }
                  }}
                />
              )}
            </Field>
            <div className={s.field}>
              <button
                type="button"
                className={s.btnSecondary}
                disabled={addressText.trim().length < 3}
                onClick={() => void convert(addressText)}
              >
                {t('desk.convert')}
              </button>
            </div>
          </div>
          {candidates?.ambiguous && (
            <fieldset className={a.closure} data-testid="address-candidates">
              <legend>{t('desk.chooseUnit')}</legend>
              <ul className={a.candidates}>
                {candidates.list.map((c) => (
                  <li key={c.code}>
                    <label>
                      <input
                        type="radio"
                        name="address-candidate"
                        checked={address?.communeCode === c.code}
                        onChange={() =>
                          setAddress({
                            detail: candidates.rest || c.name,
                            communeCode: c.code,
                            provinceCode: c.provinceCode,
                            formatted: c.formatted,
                          })
                        }
                      />{' '}
                      {c.formatted}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          {address && (
            <p className={s.info} data-testid="address-new">
              <strong>{t('desk.addressNew')}:</strong> {address.formatted}
            </p>
          )}
          <div className={s.grid3}>
            <Field label={t('reception.channel')} error={fieldErrors.channel}>
              {(p) => (
                <select
                  {...p}
                  name="channel"
                  value={channel}
                  onChange={(e) => setChannel(e.target.value as Channel)}
                >
                  {(procedure?.channels ?? ['direct', 'online', 'postal']).map((c) => (
                    <option key={c} value={c}>
                      {t(`channel.${c}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('reception.receivedAt')} error={fieldErrors.receivedAt}>
              {(p) => (
                <input
                  {...p}
                  name="receivedAt"
                  type="datetime-local"
                  value={receivedAt ?? toLocalInput(Date.now())}
                  onChange={(e) => setReceivedAt(e.target.value || undefined)}
                />
              )}
            </Field>
            {procedure?.limit.onVerification && (
              <label style={{ alignSelf: 'center' }}>
                <input
                  type="checkbox"
                  checked={verification}
                  onChange={(e) => setVerification(e.target.checked)}
                />{' '}
                {t('reception.verification')}
              </label>
            )}
          </div>
          {channel === 'online' && (
            <fieldset className={a.closure}>
              <legend>{t('desk.assisted')}</legend>
              <label>
                <input type="checkbox" checked={assisted} onChange={(e) => setAssisted(e.target.checked)} />{' '}
                {t('desk.assistedLabel')}
              </label>
              {assisted && (
                <div className={s.grid2}>
                  <Field label={t('desk.assistReason')} error={fieldErrors.assistance}>
                    {(p) => (
                      <select
                        {...p}
                        value={assistReason}
                        onChange={(e) => setAssistReason(e.target.value as AssistReason)}
                      >
                        {ASSIST_REASONS.map((r) => (
                          <option key={r} value={r}>
                            {t(`desk.assist.${r}` as MessageKey)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label={t('desk.assistNote')} error={fieldErrors['assistance.note']}>
                    {(p) => (
                      <input {...p} value={assistNote} onChange={(e) => setAssistNote(e.target.value)} />
                    )}
                  </Field>
                </div>
              )}
            </fieldset>
          )}
          <div className={s.info} aria-live="polite" data-testid="appointment-preview">
            <span className={s.label}>{t('reception.appointment')}: </span>
            <span className={s.appointment}>{preview ? dateTime(preview.appointment, lang) : '—'}</span>
            <div className={s.help}>
              {preview?.explanation.length
                ? preview.explanation.map((x) => pick(x)).join(' · ')
                : t('reception.appointmentHelp')}
            </div>
          </div>
          {fieldErrors.procedureCode && <p className={s.fieldError}>{fieldErrors.procedureCode}</p>}
          <ProblemBox error={error} />
          <button className={s.btn} type="submit" disabled={!code || busy}>
            {code ? t('reception.submit') : t('reception.chooseProcedure')}
          </button>
        </form>
      </div>
    </>
  );
}
