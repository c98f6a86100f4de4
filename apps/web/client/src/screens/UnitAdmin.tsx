import { useCallback, useEffect, useId, useState } from 'react';
import { ApiError, api } from '../api.js';
import { Field, Loading, ProblemBox } from '../components.js';
import { dateTime } from '../format.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import s from '../ui.module.css';
import a from './admin.module.css';
import { FeeAccounts } from './FeeAccounts.js';
import { SigningSetup } from './SigningSetup.js';

const ROLES = ['receptionist', 'specialist', 'leader', 'unitAdmin'] as const;
type UnitRole = (typeof ROLES)[number];
const ROLE_KEY: Record<UnitRole, MessageKey> = {
  receptionist: 'admin.role.receptionist',
  specialist: 'admin.role.specialist',
  leader: 'admin.role.leader',
  unitAdmin: 'admin.role.unitAdmin',
};
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type DayKey = (typeof DAYS)[number];

interface UnitUser {
  id: string;
  username: string;
  fullName: string;
  disabled: boolean;
  roles: UnitRole[];
  elsewhere: boolean;
}
interface Session {
  start: string;
  end: string;
}
interface Closure {
  date: string;
  from?: string;
  to?: string;
  reason: { vi: string; en: string };
}
interface CalendarConfig {
  name?: string;
  week?: Partial<Record<DayKey, Session[]>>;
  closures?: Closure[];
  [k: string]: unknown;
}
interface Moved {
  code: string;
  from: string | null;
  to: string | null;
}

const DEFAULT_DAY: Session[] = [
  { start: '07:30', end: '11:30' },
  { start: '13:00', end: '17:00' },
];
const sessionsText = (list: Session[] | undefined, day: DayKey) =>
  (list ?? (day === 'sat' || day === 'sun' ? [] : DEFAULT_DAY)).map((x) => `${x.start}-${x.end}`).join(', ');
const parseSessions = (text: string): Session[] | undefined => {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Session[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(p);
    if (!m) return undefined;
    out.push({ start: m[1]!.padStart(5, '0'), end: m[2]!.padStart(5, '0') });
  }
  return out;
};

/** The role check boxes of one user (or of the new-user form). */
function RolePicker({
  value,
  onChange,
  legend,
  error,
}: {
  value: UnitRole[];
  onChange(v: UnitRole[]): void;
  legend: string;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className={a.rolePicker} aria-describedby={error ? `${id}-err` : undefined}>
      <legend className={s.srOnly}>{legend}</legend>
      {ROLES.map((r) => (
        <label key={r} style={{ whiteSpace: 'nowrap', marginRight: '0.75rem' }}>
          <input
            type="checkbox"
            checked={value.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))}
          />{' '}
          {t(ROLE_KEY[r])}
        </label>
      ))}
      {error && (
        <span id={`${id}-err`} className={s.fieldError} role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** One user's row: roles to change, disable/enable, a new one-time password. */
function UserRow({
  unit,
  user,
  self,
  onChanged,
  onPassword,
}: {
  unit: string;
  user: UnitUser;
  self: boolean;
  onChanged(u: UnitUser): void;
  onPassword(username: string, password: string): void;
}) {
  const { t, pick } = useI18n();
  const [roles, setRoles] = useState<UnitRole[]>(user.roles);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setRoles(user.roles), [user.roles]);
  const changed = roles.length !== user.roles.length || roles.some((r) => !user.roles.includes(r));
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-user={user.username} className={user.disabled ? a.rowDisabled : undefined}>
      <td>
        <strong>{user.username}</strong>
        <div className={s.help}>{user.fullName}</div>
      </td>
      <td>
        <RolePicker
          value={roles}
          onChange={setRoles}
          legend={t('admin.rolesOf', { user: user.username })}
          error={
            roles.length === 0 ? t('admin.rolesRequired') : error ? pick(error.problem.detail) : undefined
          }
        />
        {changed && roles.length > 0 && (
          <button
            type="button"
            className={s.btnSecondary}
            disabled={busy}
            onClick={() =>
              run(async () =>
                onChanged(
                  await api<UnitUser>(`/api/units/${unit}/users/${user.id}/roles`, {
                    method: 'PUT',
                    body: { roles },
                  }),
                ),
              )
            }
          >
            {t('admin.saveRoles', { user: user.username })}
          </button>
        )}
      </td>
      <td>
        {user.disabled ? t('admin.status.disabled') : t('admin.status.active')}
        {user.elsewhere && <div className={s.help}>{t('admin.elsewhere')}</div>}
      </td>
      <td className={a.actionsCell}>
        {!self && !user.elsewhere && (
          <>
            <button
              type="button"
              className={user.disabled ? s.btnSecondary : s.btnDanger}
              disabled={busy}
              aria-label={t(user.disabled ? 'admin.enableUser' : 'admin.disableUser', {
                user: user.username,
              })}
              onClick={() =>
                run(async () =>
                  onChanged(
                    await api<UnitUser>(`/api/units/${unit}/users/${user.id}/disabled`, {
                      method: 'PUT',
                      body: { disabled: !user.disabled },
                    }),
                  ),
                )
              }
            >
              {t(user.disabled ? 'admin.enable' : 'admin.disable')}
            </button>{' '}
            <button
              type="button"
              className={s.btnSecondary}
              disabled={busy}
              aria-label={t('admin.resetPasswordOf', { user: user.username })}
              onClick={() =>
                run(async () => {
                  const r = await api<{ password: string }>(`/api/units/${unit}/users/${user.id}/password`, {
                    body: {},
                  });
                  onPassword(user.username, r.password);
                })
              }
            >
              {t('admin.resetPassword')}
            </button>
          </>
        )}
        {self && <span className={s.help}>{t('admin.you')}</span>}
      </td>
    </tr>
  );
}

/** The one-time password, shown once: the admin hands it over; the server keeps only its hash. */
function OneTimePassword({
  shown,
  onDone,
}: {
  shown: { username: string; password: string };
  onDone(): void;
}) {
  const { t } = useI18n();
  return (
    <div className={s.success} role="status" data-testid="one-time-password">
      <p style={{ margin: '0 0 0.3rem' }}>{t('admin.passwordFor', { user: shown.username })}</p>
      <code className={a.secret}>{shown.password}</code>
      <p className={s.help}>{t('admin.passwordOnce')}</p>
      <button type="button" className={s.btnSecondary} onClick={onDone}>
        {t('admin.passwordDone')}
      </button>
    </div>
  );
}

function Users({ unit }: { unit: string }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const [users, setUsers] = useState<UnitUser[]>();
  const [error, setError] = useState<ApiError>();
  const [shown, setShown] = useState<{ username: string; password: string }>();
  const [form, setForm] = useState({ username: '', fullName: '', roles: ['receptionist'] as UnitRole[] });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    () =>
      api<UnitUser[]>(`/api/units/${unit}/users`).then(setUsers, (e) => e instanceof ApiError && setError(e)),
    [unit],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const create = async () => {
    setBusy(true);
    setFieldErrors({});
    setFormError(undefined);
    try {
      const r = await api<{ user: UnitUser; password: string }>(`/api/units/${unit}/users`, { body: form });
      setShown({ username: r.user.username, password: r.password });
      setForm({ username: '', fullName: '', roles: ['receptionist'] });
      await load();
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldMessages(lang));
        setFormError(e);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={s.card} aria-labelledby="admin-users">
      <h2 id="admin-users">{t('admin.users')}</h2>
      <ProblemBox error={error} />
      {shown && <OneTimePassword shown={shown} onDone={() => setShown(undefined)} />}
      {!users ? (
        <Loading />
      ) : (
        <div className={s.tableWrap}>
          <table className={`${s.table} ${a.stack}`} data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.user')}</th>
                <th scope="col">{t('admin.roles')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <UserRow
                  key={u.id}
                  unit={unit}
                  user={u}
                  self={u.id === me?.id}
                  onChanged={(n) => setUsers((list) => list?.map((x) => (x.id === n.id ? n : x)))}
                  onPassword={(username, password) => setShown({ username, password })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        className={s.info}
        aria-labelledby="admin-new-user"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h3 id="admin-new-user" style={{ margin: '0 0 0.4rem' }}>
          {t('admin.newUser')}
        </h3>
        <div className={s.grid2}>
          <Field label={t('admin.username')} help={t('admin.usernameHelp')} error={fieldErrors.username}>
            {(p) => (
              <input
                {...p}
                name="username"
                autoComplete="off"
                value={form.username}
                onChange={(e) => setForm((f) => ({ ...f, username: e.target.value }))}
              />
            )}
          </Field>
          <Field label={t('admin.fullName')} error={fieldErrors.fullName}>
            {(p) => (
              <input
                {...p}
                name="fullName"
                autoComplete="off"
                value={form.fullName}
                onChange={(e) => setForm((f) => ({ ...f, fullName: e.target.value }))}
              />
            )}
          </Field>
        </div>
        <RolePicker
          value={form.roles}
          onChange={(roles) => setForm((f) => ({ ...f, roles }))}
          legend={t('admin.roles')}
          error={fieldErrors.roles}
        />
        {formError && !Object.keys(fieldErrors).length && <ProblemBox error={formError} />}
        <button type="submit" className={s.btn} disabled={busy}>
          {t('admin.create')}
        </button>
      </form>
    </section>
  );
}

function Hours({ unit }: { unit: string }) {
  const { t, lang, pick } = useI18n();
  const [config, setConfig] = useState<CalendarConfig>();
  const [week, setWeek] = useState<Record<DayKey, string>>();
  const [closures, setClosures] = useState<Closure[]>([]);
  const [error, setError] = useState<ApiError>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [moved, setMoved] = useState<{ moved: Moved[]; message: { vi: string; en: string } }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<CalendarConfig>(`/api/units/${unit}/calendar`).then(
      (c) => {
        setConfig(c);
        setWeek(
          Object.fromEntries(DAYS.map((d) => [d, sessionsText(c.week?.[d], d)])) as Record<DayKey, string>,
        );
        setClosures(c.closures ?? []);
      },
      (e) => e instanceof ApiError && setError(e),
    );
  }, [unit]);
  if (!config || !week) return <Loading />;
  const save = async () => {
    const errs: Record<string, string> = {};
    const parsed: Partial<Record<DayKey, Session[]>> = {};
    for (const d of DAYS) {
      const v = parseSessions(week[d]);
      if (!v) errs[`week.${d}`] = t('admin.hoursFormat');
      else parsed[d] = v;
    }
    setFieldErrors(errs);
    setMoved(undefined);
    setError(undefined);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const body = {
        ...config,
        week: parsed,
        closures: closures.map((c) => ({
          date: c.date,
          ...(c.from && c.to ? { from: c.from, to: c.to } : {}),
          reason: { vi: c.reason.vi.trim(), en: c.reason.en.trim() || c.reason.vi.trim() },
        })),
      };
      const r = await api<{ moved: Moved[]; message: { vi: string; en: string } }>(
        `/api/units/${unit}/calendar`,
        { method: 'PUT', body },
      );
      setConfig(body);
      setMoved(r);
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldMessages(lang));
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };
  const setClosure = (i: number, patch: Partial<Closure>) =>
    setClosures((list) => list.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <form
      className={s.card}
      aria-labelledby="admin-hours"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="admin-hours">{t('admin.hours')}</h2>
      <p className={s.help}>{t('admin.hoursHelp')}</p>
      <div className={a.grid4}>
        {DAYS.map((d) => (
          <Field key={d} label={t(`admin.day.${d}` as MessageKey)} error={fieldErrors[`week.${d}`]}>
            {(p) => (
              <input
                {...p}
                name={`week-${d}`}
                value={week[d]}
                placeholder="—"
                onChange={(e) => setWeek((w) => ({ ...w!, [d]: e.target.value }))}
              />
            )}
          </Field>
        ))}
      </div>
      <h3>{t('admin.closures')}</h3>
      <p className={s.help}>{t('admin.closuresHelp')}</p>
      {closures.length === 0 && <p>{t('admin.noClosures')}</p>}
      {closures.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: closures have no identity before they are saved
        <fieldset key={i} className={a.closure} data-testid="closure">
          <legend>{t('admin.closureN', { n: i + 1 })}</legend>
          <div className={a.grid4}>
            <Field label={t('admin.closureDate')} error={fieldErrors[`closures.${i}.date`]}>
              {(p) => (
                <input
                  {...p}
                  type="date"
                  value={c.date}
                  onChange={(e) => setClosure(i, { date: e.target.value })}
                />
              )}
            </Field>
            <Field
              label={t('admin.closureFrom')}
              help={t('admin.closureWholeDay')}
              error={fieldErrors[`closures.${i}.from`]}
            >
              {(p) => (
                <input
                  {...p}
                  type="time"
                  value={c.from ?? ''}
                  onChange={(e) => setClosure(i, { from: e.target.value })}
                />
              )}
            </Field>
            <Field label={t('admin.closureTo')} error={fieldErrors[`closures.${i}.to`]}>
              {(p) => (
                <input
                  {...p}
                  type="time"
                  value={c.to ?? ''}
                  onChange={(e) => setClosure(i, { to: e.target.value })}
                />
              )}
            </Field>
            <Field label={t('admin.closureReason')} error={fieldErrors[`closures.${i}.reason.vi`]}>
              {(p) => (
                <input
                  {...p}
                  value={c.reason.vi}
                  onChange={(e) => setClosure(i, { reason: { ...c.reason, vi: e.target.value } })}
                />
              )}
            </Field>
          </div>
          <Field label={t('admin.closureReasonEn')} help={t('admin.closureReasonEnHelp')}>
            {(p) => (
              <input
                {...p}
                lang="en"
                value={c.reason.en}
                onChange={(e) => setClosure(i, { reason: { ...c.reason, en: e.target.value } })}
              />
            )}
          </Field>
          <button
            type="button"
            className={s.btnSecondary}
            onClick={() => setClosures((list) => list.filter((_, j) => j !== i))}
          >
            {t('admin.removeClosure', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <div className={s.row}>
        <button
          type="button"
          className={s.btnSecondary}
          onClick={() => setClosures((list) => [...list, { date: '', reason: { vi: '', en: '' } }])}
        >
          {t('admin.addClosure')}
        </button>
        <button type="submit" className={s.btn} disabled={busy}>
          {t('admin.saveHours')}
        </button>
      </div>
      <ProblemBox error={error} />
      {moved && (
        <div className={s.success} role="status" data-testid="moved">
          <p style={{ margin: 0 }}>
            <strong>{t('admin.saved')}</strong> {pick(moved.message)}
          </p>
          {moved.moved.length > 0 && (
            <ul style={{ margin: '0.4rem 0 0', paddingLeft: '1.2rem' }}>
              {moved.moved.slice(0, 20).map((m) => (
                <li key={m.code}>
                  {m.code}: {dateTime(m.from, lang)} → {dateTime(m.to, lang)}
                </li>
              ))}
              {moved.moved.length > 20 && <li>{t('admin.movedMore', { n: moved.moved.length - 20 })}</li>}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

/** Screen 8: the unit admin's page — users and roles, working hours and closures. */
export function UnitAdmin({ unit }: { unit: string }) {
  const { t } = useI18n();
  const { roles } = useSession();
  if (!roles().has('unitAdmin'))
    return (
      <div className={s.card}>
        <h1>{t('admin.title')}</h1>
        <p>{t('admin.forbidden')}</p>
      </div>
    );
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <Users unit={unit} />
      <Hours unit={unit} />
      <SigningSetup unit={unit} />
      <FeeAccounts unit={unit} />
    </>
  );
}
