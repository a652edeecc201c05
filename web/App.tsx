import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import { antdEnUS, antdZhCN } from './i18n/antd-locales.ts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import { AuthProvider, RequireAuth, useAuth, useCan } from './auth.tsx';
import { setApiHooks } from './api/client.ts';
import { systemApi } from './api/system.ts';
import { AppLayout, homeFor } from './components/AppLayout.tsx';
import { ChangePasswordPage } from './scenes/Account/ChangePasswordPage.tsx';
import { LoginPage } from './scenes/Login/LoginPage.tsx';
import { ProjectsPage } from './scenes/Projects/ProjectsPage.tsx';

const ProjectPage = lazy(() => import('./scenes/Project/ProjectPage.tsx').then((m) => ({ default: m.ProjectPage })));
const ReportsPage = lazy(() => import('./scenes/Reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const SetupPage = lazy(() => import('./scenes/Setup/SetupPage.tsx').then((m) => ({ default: m.SetupPage })));
const ImportPage = lazy(() => import('./scenes/Import/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const ReviewPage = lazy(() => import('./scenes/Review/ReviewPage.tsx').then((m) => ({ default: m.ReviewPage })));
const UsersPage = lazy(() => import('./scenes/Admin/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const UnitsPage = lazy(() => import('./scenes/Admin/UnitsPage.tsx').then((m) => ({ default: m.UnitsPage })));
const CalendarPage = lazy(() => import('./scenes/Admin/CalendarPage.tsx').then((m) => ({ default: m.CalendarPage })));
const TokensPage = lazy(() => import('./scenes/Account/TokensPage.tsx').then((m) => ({ default: m.TokensPage })));
const SecurityPage = lazy(() => import('./scenes/Admin/SecurityPage.tsx').then((m) => ({ default: m.SecurityPage })));
const AuditPage = lazy(() => import('./scenes/Audit/AuditPage.tsx').then((m) => ({ default: m.AuditPage })));

const DashboardPage = lazy(() => import('./scenes/Dashboard/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })));
const LightsPage = lazy(() => import('./scenes/Lights/LightsPage.tsx').then((m) => ({ default: m.LightsPage })));
const BulletinsPage = lazy(() => import('./scenes/Bulletins/BulletinsPage.tsx').then((m) => ({ default: m.BulletinsPage })));
// Supervision (issue 17)
const MattersPage = lazy(() => import('./scenes/Supervision/MattersPage.tsx').then((m) => ({ default: m.MattersPage })));
const MatterPage = lazy(() => import('./scenes/Supervision/MatterPage.tsx').then((m) => ({ default: m.MatterPage })));
// supervision3: meetings and weekly batches (周交办)
const MeetingsPage = lazy(() => import('./scenes/Supervision/MeetingsPage.tsx').then((m) => ({ default: m.MeetingsPage })));
const MeetingPage = lazy(() => import('./scenes/Supervision/MeetingsPage.tsx').then((m) => ({ default: m.MeetingPage })));
const BatchesPage = lazy(() => import('./scenes/Supervision/BatchesPage.tsx').then((m) => ({ default: m.BatchesPage })));
const BatchPage = lazy(() => import('./scenes/Supervision/BatchesPage.tsx').then((m) => ({ default: m.BatchPage })));
const NodeTemplatePage = lazy(() => import('./scenes/NodeTemplate/NodeTemplatePage.tsx').then((m) => ({ default: m.NodeTemplatePage })));
const SupervisionSettingsPage = lazy(() => import('./scenes/Supervision/SupervisionSettingsPage.tsx').then((m) => ({ default: m.SupervisionSettingsPage })));
const TodosPage = lazy(() => import('./scenes/Supervision/TodosPage.tsx').then((m) => ({ default: m.TodosPage })));
const EvaluationPage = lazy(() => import('./scenes/Evaluation/EvaluationPage.tsx').then((m) => ({ default: m.EvaluationPage })));
// investment attraction (招商引资)
const AttractionPage = lazy(() => import('./scenes/Attraction/AttractionPage.tsx').then((m) => ({ default: m.AttractionPage })));
const LeadPage = lazy(() => import('./scenes/Attraction/LeadPage.tsx').then((m) => ({ default: m.LeadPage })));
const RulesPage = lazy(() => import('./scenes/Lights/RulesPage.tsx').then((m) => ({ default: m.RulesPage })));
// problems (issue 18)
const ProblemsPage = lazy(() => import('./scenes/Problems/ProblemsPage.tsx').then((m) => ({ default: m.ProblemsPage })));
const EnterprisePage = lazy(() => import('./scenes/Problems/EnterprisePage.tsx').then((m) => ({ default: m.EnterprisePage })));
const VisitPage = lazy(() => import('./scenes/Problems/VisitPage.tsx').then((m) => ({ default: m.VisitPage })));
const ProblemSettingsPage = lazy(() => import('./scenes/Problems/ProblemSettingsPage.tsx').then((m) => ({ default: m.ProblemSettingsPage })));
const ProblemFiguresPage = lazy(() => import('./scenes/Problems/ProblemFiguresPage.tsx').then((m) => ({ default: m.ProblemFiguresPage })));

/**
 * The first page a role may open: the three administrators have no project library. The system administrator of an
 * office that has not said who it is yet lands on the first-run page (本单位设置), afterwards on the accounts.
 */
function Home() {
  const can = useCan();
  const isSysadmin = can('system.admin');
  const [firstRun, setFirstRun] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (!isSysadmin) return;
    systemApi.profile().then((p) => setFirstRun(!p.configured), () => setFirstRun(false));
  }, [isSysadmin]);
  if (isSysadmin && firstRun === undefined) return <Spin style={{ margin: 48 }} />;
  return <Navigate to={firstRun ? '/setup' : homeFor(can) ?? '/change-password'} replace />;
}

const lazyPage = (page: ReactNode) => <Suspense fallback={<Spin style={{ margin: 48 }} />}>{page}</Suspense>;

/** Shows API errors as messages and sends an expired session to the login page. */
function ApiHooks() {
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { setUser, setMustChange } = useAuth();
  useEffect(() => {
    setApiHooks({
      onPasswordChangeRequired: () => {
        setMustChange(true);
        if (!window.location.pathname.startsWith('/change-password')) void navigate('/change-password', { replace: true });
      },
      onError: (e) => void message.error(e.message),
      onUnauthorized: () => {
        setUser(null);
        const here = window.location.pathname + window.location.search;
        if (!window.location.pathname.startsWith('/login')) void navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
      },
    });
  }, [message, navigate, setUser, setMustChange]);
  return null;
}

function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}

function Routed() {
  return (
    <>
      <ApiHooks />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/change-password" element={<ChangePasswordPage />} />
        <Route element={<RequireAuth><AppLayout /></RequireAuth>}>
          <Route index element={<Home />} />
          <Route path="dashboard" element={lazyPage(<DashboardPage />)} />
          <Route path="lights" element={lazyPage(<LightsPage />)} />
          <Route path="lights/rules" element={lazyPage(<RulesPage />)} />
          <Route path="bulletins" element={lazyPage(<BulletinsPage />)} />
          {/* Supervision (issue 17) */}
          <Route path="matters" element={lazyPage(<MattersPage />)} />
          <Route path="matters/:id" element={lazyPage(<MatterPage />)} />
          <Route path="meetings" element={lazyPage(<MeetingsPage />)} />
          <Route path="meetings/:id" element={lazyPage(<MeetingPage />)} />
          <Route path="batches" element={lazyPage(<BatchesPage />)} />
          <Route path="batches/:id" element={lazyPage(<BatchPage />)} />
          <Route path="supervision-settings" element={lazyPage(<SupervisionSettingsPage />)} />
          <Route path="todos" element={lazyPage(<TodosPage />)} />
          <Route path="evaluation" element={lazyPage(<EvaluationPage />)} />
          <Route path="attraction" element={lazyPage(<AttractionPage />)} />
          <Route path="attraction/:id" element={lazyPage(<LeadPage />)} />
          {/* problems (issue 18) */}
          <Route path="problems" element={lazyPage(<ProblemsPage />)} />
          <Route path="enterprises/:id" element={lazyPage(<EnterprisePage />)} />
          <Route path="visit" element={lazyPage(<VisitPage />)} />
          <Route path="problem-settings" element={lazyPage(<ProblemSettingsPage />)} />
          <Route path="problem-figures" element={lazyPage(<ProblemFiguresPage />)} />
          <Route path="projects" element={<ProjectsPage />} />
          <Route path="projects/:id" element={lazyPage(<ProjectPage />)} />
          <Route path="reports" element={lazyPage(<ReportsPage />)} />
          <Route path="review" element={lazyPage(<ReviewPage />)} />
          <Route path="setup" element={lazyPage(<SetupPage />)} />
          <Route path="admin/users" element={lazyPage(<UsersPage />)} />
          <Route path="admin/units" element={lazyPage(<UnitsPage />)} />
          <Route path="admin/security" element={lazyPage(<SecurityPage />)} />
          <Route path="admin/calendar" element={lazyPage(<CalendarPage />)} />
          <Route path="node-template" element={lazyPage(<NodeTemplatePage />)} />
          <Route path="account/tokens" element={lazyPage(<TokensPage />)} />
          <Route path="audit" element={lazyPage(<AuditPage />)} />
          <Route path="import" element={lazyPage(<ImportPage />)} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </>
  );
}

function Themed() {
  const { locale } = useI18n();
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={locale === 'en' ? antdEnUS : antdZhCN} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 4 } }}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Routed />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The whole app: locale, theme, session, routes. */
export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
