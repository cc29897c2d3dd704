import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './features/auth/auth-context';
import { LoginPage } from './features/auth/login-page';
import { RequireAuth } from './features/auth/require-auth';
import { HomePage } from './features/home/home-page';
import { PasswordPage } from './features/account/password-page';
import { Layout } from './features/shell/layout';
import { NotFoundPage, RequireNav } from './features/shell/require-role';

// Role-restricted pages load on demand: most users never open them.
const UsersPage = lazy(() => import('./features/admin/users-page').then((m) => ({ default: m.UsersPage })));
const UnitsPage = lazy(() => import('./features/admin/units-page').then((m) => ({ default: m.UnitsPage })));
const AuditPage = lazy(() => import('./features/audit/audit-page').then((m) => ({ default: m.AuditPage })));
const MailboxPage = lazy(() => import('./features/admin/mailbox-page').then((m) => ({ default: m.MailboxPage })));
const JobsPage = lazy(() => import('./features/admin/jobs-page').then((m) => ({ default: m.JobsPage })));

/** Paths match NAV_ITEMS in features/shell/nav.ts; RequireNav reuses its role lists. */
export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireAuth>
                <Layout />
              </RequireAuth>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="account/password" element={<PasswordPage />} />
            <Route
              path="admin/users"
              element={
                <RequireNav id="users">
                  <UsersPage />
                </RequireNav>
              }
            />
            <Route
              path="admin/units"
              element={
                <RequireNav id="units">
                  <UnitsPage />
                </RequireNav>
              }
            />
            <Route
              path="audit"
              element={
                <RequireNav id="audit">
                  <AuditPage />
                </RequireNav>
              }
            />
            <Route
              path="admin/mailbox"
              element={
                <RequireNav id="mailbox">
                  <MailboxPage />
                </RequireNav>
              }
            />
            <Route
              path="admin/jobs"
              element={
                <RequireNav id="jobs">
                  <JobsPage />
                </RequireNav>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}
