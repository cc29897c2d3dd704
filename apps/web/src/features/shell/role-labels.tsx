import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RoleInfo } from '../../api/types';
import { useAsync } from '../../components/use-async';

interface RoleLabels {
  roles: RoleInfo[];
  /** Label in the current UI language; the code itself until /meta/roles has answered. */
  label: (code: string) => string;
  /** Indonesian label regardless of UI language (the official name of the role). */
  labelId: (code: string) => string;
}

const RoleLabelsContext = createContext<RoleLabels | null>(null);

/** Loads GET /meta/roles once per signed-in session. */
export function RoleLabelsProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const { data } = useAsync((signal) => api.meta.roles({ signal }), []);
  const en = i18n.resolvedLanguage === 'en';

  const byCode = useMemo(() => new Map((data ?? []).map((r) => [r.code as string, r])), [data]);
  const label = useCallback(
    (code: string) => {
      const r = byCode.get(code);
      return r ? (en ? r.labelEn : r.labelId) : code;
    },
    [byCode, en],
  );
  const labelId = useCallback((code: string) => byCode.get(code)?.labelId ?? code, [byCode]);

  const value = useMemo(() => ({ roles: data ?? [], label, labelId }), [data, label, labelId]);
  return <RoleLabelsContext.Provider value={value}>{children}</RoleLabelsContext.Provider>;
}

export function useRoleLabels(): RoleLabels {
  const ctx = useContext(RoleLabelsContext);
  if (!ctx) throw new Error('useRoleLabels outside <RoleLabelsProvider>');
  return ctx;
}
