import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import { antdEnUS, antdZhCN } from './i18n/antd-locales.ts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import { AuthProvider, RequireAuth, useAuth } from './auth.tsx';
import { setApiHooks } from './api/client.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { LoginPage } from './scenes/Login/LoginPage.tsx';
import { ProjectsPage } from './scenes/Projects/ProjectsPage.tsx';

const ProjectPage = lazy(() => import('./scenes/Project/ProjectPage.tsx').then((m) => ({ default: m.ProjectPage })));
const ReportsPage = lazy(() => import('./scenes/Reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const ImportPage = lazy(() => import('./scenes/Import/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const ReviewPage = lazy(() => import('./scenes/Review/ReviewPage.tsx').then((m) => ({ default: m.ReviewPage })));

const page = (node: ReactNode) => <Suspense fallback={<Spin style={{ margin: 48 }} />}>{node}</Suspense>;

/** Shows API errors as messages and sends an expired session to the login page. */
function ApiHooks() {
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { setUser } = useAuth();
  useEffect(() => {
    setApiHooks({
      onError: (e) => void message.error(e.message),
      onUnauthorized: () => {
        setUser(null);
        const here = window.location.pathname + window.location.search;
        if (!window.location.pathname.startsWith('/login')) void navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
      },
    });
  }, [message, navigate, setUser]);
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
        <Route element={<RequireAuth><AppLayout /></RequireAuth>}>
          <Route index element={<Navigate to="/projects" replace />} />
          <Route path="projects" element={<ProjectsPage />} />
          <Route path="projects/:id" element={page(<ProjectPage />)} />
          <Route path="reports" element={page(<ReportsPage />)} />
          <Route path="review" element={page(<ReviewPage />)} />
          <Route path="import" element={page(<ImportPage />)} />
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
