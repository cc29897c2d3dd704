import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setSessionExpiredHandler } from '../../api/client';
import type { Me } from '../../api/types';

/** Why nobody is signed in: decides where <RequireAuth> sends the browser. */
export type AnonymousReason = 'initial' | 'logout' | 'expired';

type AuthState =
  { status: 'loading'; user: null } | { status: 'anonymous'; user: null; reason: AnonymousReason } | { status: 'authenticated'; user: Me };

interface AuthContextValue {
  state: AuthState;
  /** Called by the login page with the user the server returned. */
  signedIn: (user: Me) => void;
  /** Re-reads /auth/me, e.g. after a password change clears `mustChangePassword`. */
  reloadMe: () => Promise<void>;
  logout: () => Promise<void>;
}

export interface LoginLocationState {
  from?: string;
  expired?: boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null });

  // The API client calls this when a 401 could not be cured by a refresh. Redirecting is
  // left to <RequireAuth>, which renders a <Navigate> from the new state: one code path for
  // every way of losing the session, and no race between an imperative navigate() and
  // this state update.
  useEffect(
    () =>
      setSessionExpiredHandler(() =>
        // Several requests in flight each report the same expiry; the first one decides.
        setState((prev) =>
          prev.status === 'anonymous'
            ? prev
            : { status: 'anonymous', user: null, reason: prev.status === 'authenticated' ? 'expired' : 'initial' },
        ),
      ),
    [],
  );

  useEffect(() => {
    const controller = new AbortController();
    api.auth.me({ signal: controller.signal }).then(
      (user) => setState({ status: 'authenticated', user }),
      () => {
        if (!controller.signal.aborted) setState({ status: 'anonymous', user: null, reason: 'initial' });
      },
    );
    return () => controller.abort();
  }, []);

  const signedIn = useCallback((user: Me) => setState({ status: 'authenticated', user }), []);

  const reloadMe = useCallback(async () => {
    const user = await api.auth.me();
    setState({ status: 'authenticated', user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } catch {
      // The local session ends regardless; the server cookies expire on their own.
    }
    setState({ status: 'anonymous', user: null, reason: 'logout' });
  }, []);

  const value = useMemo(() => ({ state, signedIn, reloadMe, logout }), [state, signedIn, reloadMe, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside <AuthProvider>');
  return ctx;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useMe without a signed-in user');
  return state.user;
}

/** Internal path to return to after login; anything else (other origins, //host) becomes '/'. */
export function safeReturnPath(from: unknown): string {
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//')) return '/';
  if (from === '/login' || from.startsWith('/login?')) return '/';
  return from;
}
