import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en.js';
import { type MessageKey, type Messages, vi } from './vi.js';

export type Lang = 'vi' | 'en';
const CATALOGUES: Record<Lang, Messages> = { vi, en };
const STORAGE = 'motcua.lang';

/** A message with `{name}` placeholders filled. */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** Picks the right side of a `{ vi, en }` message from the API. */
  pick(message: { vi: string; en: string } | undefined): string;
}

const Ctx = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() =>
    typeof localStorage !== 'undefined' && localStorage.getItem(STORAGE) === 'en' ? 'en' : 'vi',
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE, l);
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, values) => format(CATALOGUES[lang][key] ?? key, values),
      pick: (m) => (m ? m[lang] : ''),
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

export type { MessageKey };
