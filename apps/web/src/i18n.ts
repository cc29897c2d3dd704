import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import idJson from './locales/id.json';
import enJson from './locales/en.json';
import certificatesIdJson from './locales/certificates.id.json';
import certificatesEnJson from './locales/certificates.en.json';
import type { Locale } from './api/types';

// Indonesian is the source of truth; typing English as `typeof id` makes tsc fail when a
// key is missing from en.json. A feature with many strings keeps them in its own pair of
// files (merged here under its key) so parallel work on features does not edit one file.
const id = { ...idJson, certificates: certificatesIdJson };
const en: typeof id = { ...enJson, certificates: certificatesEnJson };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof id };
  }
}

export const LANGUAGES: readonly Locale[] = ['id', 'en'];
export const DEFAULT_LANGUAGE: Locale = 'id';
const STORAGE_KEY = 'sandi.lang';

function isLocale(value: unknown): value is Locale {
  return value === 'id' || value === 'en';
}

function storedLanguage(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function currentLanguage(): Locale {
  return isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
}

export async function setLanguage(lang: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the switch still works for this page load.
  }
  await i18n.changeLanguage(lang);
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});

export default i18n;
