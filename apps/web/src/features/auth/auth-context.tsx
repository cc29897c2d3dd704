import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, setSessionExpiredHandler } from '../../api/client';
import type { Me } from '../../api/types';

type AuthState =
  | { status: 'loading'; user: null }
  | { status: 'anonymous'; user: null }
  | { status: 'authenticated'; user: Me };

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
  const navigate = useNavigate();
  // The expiry handler is installed once; it reads the current status through a ref.
  const statusRef = useRef(state.status);
  useEffect(() => {
    statusRef.current = state.status;
  }, [state.status]);

  useEffect(
    () =>
      setSessionExpiredHandler(() => {
        const wasSignedIn = statusRef.current === 'authenticated';
        setState({ status: 'anonymous', user: null });
        const { pathname, search } = window.location;
        if (pathname === '/login') return;
        const loginState: LoginLocationState = { from: pathname + search, expired: wasSignedIn };
        void navigate('/login', { replace: true, state: loginState });
      }),
    [navigate],
  );

  useEffect(() => {
    const controller = new AbortController();
    api.auth.me({ signal: controller.signal }).then(
      (user) => setState({ status: 'authenticated', user }),
      () => {
        if (!controller.signal.aborted) setState({ status: 'anonymous', user: null });
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
      // The local session ends regardless; the server cookie expires on its own.
    }
    setState({ status: 'anonymous', user: null });
    void navigate('/login', { replace: true });
  }, [navigate]);

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
