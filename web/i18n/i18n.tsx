import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { zhCN, type MessageKey } from './zh-CN.ts';
import { en } from './en.ts';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'docket_locale';
const TABLES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Replaces {name} placeholders with values. */
export function format(template: string, values?: Record<string, string | number>): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** The stored choice; Chinese unless the user switched. */
export function storedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** Holds the locale, persists it, and offers t(). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const setLocale = useCallback((l: Locale) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    setLocaleState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = TABLES[locale]['app.title'];
  }, [locale]);
  const value = useMemo<I18n>(() => ({
    locale, setLocale,
    t: (key, values) => format(TABLES[locale][key], values),
  }), [locale, setLocale]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

/** The current locale and translator. */
export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
