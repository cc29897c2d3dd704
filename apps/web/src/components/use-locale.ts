import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';

/** The UI language, re-rendering the caller when it changes. */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === 'en' ? 'en' : 'id';
}
