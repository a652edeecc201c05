import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Spin } from 'antd';
import { authApi } from './api/endpoints.ts';
import type { CurrentUser, Permission } from './api/types.ts';
import { ApiError } from './api/client.ts';

interface Auth {
  /** undefined while the session is being checked, null when signed out. */
  user: CurrentUser | null | undefined;
  setUser: (u: CurrentUser | null) => void;
  /** Signed in, but the password must be changed first (first sign-in or expired). */
  mustChange: boolean;
  setMustChange: (v: boolean) => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** Checks the session once at start and holds the signed-in account. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);
  const [mustChange, setMustChange] = useState(false);
  useEffect(() => {
    let alive = true;
    // Any failure (401, network) means "not signed in": the login page says more if the server is down.
    authApi.me().then((r) => alive && setUser(r.user), (e: unknown) => {
      if (!alive) return;
      if (e instanceof ApiError && e.code === 'password_change_required') setMustChange(true);
      setUser(null);
    });
    return () => {
      alive = false;
    };
  }, []);
  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setUser(null);
      setMustChange(false);
    }
  }, []);
  const value = useMemo(() => ({ user, setUser, mustChange, setMustChange, logout }), [user, mustChange, logout]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

/** The auth state. */
export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/**
 * `can(permission)`: whether the signed-in account may do something, from the permissions the server returned
 * (`/auth/me`, sign-in). Pages show or hide an action with it; they never reason from role names, so a change to
 * the permission matrix reaches the web without touching it. False while signed out.
 */
export function useCan(): (permission: Permission) => boolean {
  const { user } = useAuth();
  return useCallback((permission: Permission) => user?.permissions.includes(permission) ?? false, [user]);
}

/** Renders its children for a signed-in user; otherwise sends them to the login page and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, mustChange } = useAuth();
  const location = useLocation();
  if (mustChange) return <Navigate to={`/change-password?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (user === undefined) return <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;
  if (user === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}
