import { type ReactNode, useId } from 'react';
import type { ApiError } from './api.js';
import { type Due, dueOf } from './format.js';
import { useI18n } from './i18n/index.js';
import s from './ui.module.css';

/** A labelled form field with its help and its error (announced, and tied to the input). */
export function Field({
  label,
  error,
  help,
  children,
}: {
  label: string;
  error?: string | undefined;
  help?: string;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
    className: string;
  }) => ReactNode;
}) {
  const id = useId();
  const described =
    [help ? `${id}-help` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={s.field}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described, className: s.input! })}
      {help && (
        <span id={`${id}-help`} className={s.help}>
          {help}
        </span>
      )}
      {error && (
        <span id={`${id}-err`} className={s.fieldError} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** An API error not tied to a field: the message in the chosen language, and the rule when one is named. */
export function ProblemBox({ error }: { error: ApiError | undefined }) {
  const { pick } = useI18n();
  if (!error) return null;
  return (
    <div className={s.alert} role="alert">
      {pick(error.problem.detail)}
      {error.problem.rule && <div className={s.help}>{error.problem.rule}</div>}
    </div>
  );
}

const DUE_CLASS: Record<Due, string> = {
  inTime: s.inTime!,
  soon: s.soon!,
  overdue: s.overdue!,
  done: s.done!,
};
const DUE_KEY = { inTime: 'due.inTime', soon: 'due.soon', overdue: 'due.overdue', done: 'due.done' } as const;

export function DueBadge({ d }: { d: { phase: string; appointment: string | null; overdue: boolean } }) {
  const { t } = useI18n();
  const due = dueOf(d);
  return <span className={`${s.badge} ${DUE_CLASS[due]}`}>{t(DUE_KEY[due])}</span>;
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <div className={s.card}>
      <h1>{t('common.notFound')}</h1>
      <p>{t('common.notFoundHelp')}</p>
    </div>
  );
}

export function LangSwitch({ className }: { className?: string }) {
  const { t, lang, setLang } = useI18n();
  return (
    <button
      type="button"
      className={className ?? s.ghost}
      lang={lang === 'vi' ? 'en' : 'vi'}
      onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
    >
      {t('lang.switch')}
    </button>
  );
}
