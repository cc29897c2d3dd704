import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
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
const QueuePage = lazy(() => import('./features/incidents/queue-page').then((m) => ({ default: m.QueuePage })));
const IntakePage = lazy(() => import('./features/incidents/intake-page').then((m) => ({ default: m.IntakePage })));
const DetailPage = lazy(() => import('./features/incidents/detail-page').then((m) => ({ default: m.DetailPage })));
const MetricsPage = lazy(() => import('./features/incidents/metrics-page').then((m) => ({ default: m.MetricsPage })));
const TemplatesPage = lazy(() => import('./features/incidents/templates-page').then((m) => ({ default: m.TemplatesPage })));
// The public pages load without the signed-in shell: a reporter needs no account.
const PublicLayout = lazy(() => import('./features/incidents/public-layout').then((m) => ({ default: m.PublicLayout })));
const ReportPage = lazy(() => import('./features/incidents/report-page').then((m) => ({ default: m.ReportPage })));
const TrackPage = lazy(() => import('./features/incidents/track-page').then((m) => ({ default: m.TrackPage })));
const CertificatesPage = lazy(() => import('./features/certificates/certificates-page').then((m) => ({ default: m.CertificatesPage })));
const IssuancePage = lazy(() => import('./features/certificates/issuance-page').then((m) => ({ default: m.IssuancePage })));
const ProcedurePage = lazy(() => import('./features/certificates/procedure-page').then((m) => ({ default: m.ProcedurePage })));
const ApplicationPage = lazy(() => import('./features/certificates/application-page').then((m) => ({ default: m.ApplicationPage })));
const CertificatePage = lazy(() => import('./features/certificates/certificate-page').then((m) => ({ default: m.CertificatePage })));
// The e-signature service's public pages (applicants' links, signing, verification): no account, no session lookup.
const TteLayout = lazy(() => import('./features/certificates/tte-layout').then((m) => ({ default: m.TteLayout })));
const TteHomePage = lazy(() => import('./features/certificates/tte-home-page').then((m) => ({ default: m.TteHomePage })));
const IdentityPage = lazy(() => import('./features/certificates/identity-page').then((m) => ({ default: m.IdentityPage })));
const PassphrasePage = lazy(() => import('./features/certificates/passphrase-page').then((m) => ({ default: m.PassphrasePage })));
const SignPage = lazy(() => import('./features/certificates/sign-page').then((m) => ({ default: m.SignPage })));
const VerifyPage = lazy(() => import('./features/certificates/verify-page').then((m) => ({ default: m.VerifyPage })));

/** The server's tracking links point at /report/track#ticket=…&token=…; the page lives at /lacak. */
function TrackingLinkRedirect() {
  const { hash, search } = useLocation();
  return <Navigate to={{ pathname: '/lacak', hash, search }} replace />;
}

function PublicFallback() {
  return <div className="splash" role="status" />;
}

/** Paths match NAV_ITEMS in features/shell/nav.ts; RequireNav reuses its role lists. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        {/* Public: no session lookup, so a reporter's visit costs no auth round trips. */}
        <Route
          element={
            <Suspense fallback={<PublicFallback />}>
              <PublicLayout />
            </Suspense>
          }
        >
          <Route path="lapor" element={<ReportPage />} />
          <Route path="lacak" element={<TrackPage />} />
        </Route>
        <Route
          element={
            <Suspense fallback={<PublicFallback />}>
              <TteLayout />
            </Suspense>
          }
        >
          <Route path="tte" element={<TteHomePage />} />
          <Route path="tte/identitas" element={<IdentityPage />} />
          <Route path="tte/passphrase" element={<PassphrasePage />} />
          <Route path="tte/tanda-tangan" element={<SignPage />} />
          <Route path="tte/verifikasi" element={<VerifyPage />} />
        </Route>
        <Route path="report/track" element={<TrackingLinkRedirect />} />
        <Route
          element={
            <AuthProvider>
              <Outlet />
            </AuthProvider>
          }
        >
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
            <Route
              path="insiden"
              element={
                <RequireNav id="incidents">
                  <QueuePage />
                </RequireNav>
              }
            />
            <Route
              path="insiden/baru"
              element={
                <RequireNav id="incident-new">
                  <IntakePage />
                </RequireNav>
              }
            />
            <Route
              path="insiden/metrik"
              element={
                <RequireNav id="incident-metrics">
                  <MetricsPage />
                </RequireNav>
              }
            />
            <Route
              path="insiden/templat"
              element={
                <RequireNav id="incident-templates">
                  <TemplatesPage />
                </RequireNav>
              }
            />
            <Route
              path="insiden/:id"
              element={
                <RequireNav id="incidents">
                  <DetailPage />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat"
              element={
                <RequireNav id="certificates">
                  <CertificatesPage />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat/baru"
              element={
                <RequireNav id="certificate-apply">
                  <IssuancePage />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat/permohonan/:id"
              element={
                <RequireNav id="certificates">
                  <ApplicationPage />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat/sertifikat/:id"
              element={
                <RequireNav id="certificates">
                  <CertificatePage />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat/:certificateId/pembaruan"
              element={
                <RequireNav id="certificate-apply">
                  <ProcedurePage procedure="renewal" />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat/:certificateId/perubahan"
              element={
                <RequireNav id="certificate-apply">
                  <ProcedurePage procedure="update" />
                </RequireNav>
              }
            />
            <Route
              path="sertifikat/:certificateId/pencabutan"
              element={
                <RequireNav id="certificate-apply">
                  <ProcedurePage procedure="revocation" />
                </RequireNav>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
