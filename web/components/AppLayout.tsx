import { useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import {
  AlertOutlined, ApartmentOutlined, AuditOutlined, CalendarOutlined, CameraOutlined, CheckSquareOutlined, CommentOutlined, ControlOutlined, DashboardOutlined, DatabaseOutlined, FileSearchOutlined, FileTextOutlined, FlagOutlined, FormOutlined, IssuesCloseOutlined, KeyOutlined, MenuOutlined, NodeIndexOutlined, PieChartOutlined, RiseOutlined, SafetyOutlined, ScheduleOutlined, SettingOutlined, TeamOutlined, TrophyOutlined, UploadOutlined, UserOutlined,
} from '@ant-design/icons';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { useAuth, useCan } from '../auth.tsx';
import { accountApi } from '../api/accounts.ts';
import { TodoBadge } from './TodoBadge.tsx';
import type { Permission } from '../api/types.ts';

interface NavItem {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /**
   * The item shows for an account holding any of these permissions (what /auth/me returned): the server's matrix
   * decides, this only hides what would answer 403. Never a role name.
   */
  anyOf: readonly Permission[];
}

/** The side menu. A page appears here only once its API is on main (no page shows invented data). */
export const NAV: NavItem[] = [
  { path: '/dashboard', label: 'nav.dashboard', icon: <DashboardOutlined />, anyOf: ['indicator.read'] },
  { path: '/projects', label: 'nav.projects', icon: <DatabaseOutlined />, anyOf: ['project.read'] },
  // Only those who fill reports: a leader's menu held a disabled data-entry grid (issue 13).
  { path: '/reports', label: 'nav.reports', icon: <FormOutlined />, anyOf: ['report.write'] },
  { path: '/review', label: 'nav.review', icon: <AuditOutlined />, anyOf: ['report.review'] },
  { path: '/lights', label: 'nav.lights', icon: <AlertOutlined />, anyOf: ['indicator.read'] },
  // Supervision (issue 17)
  { path: '/matters', label: 'nav.matters', icon: <FlagOutlined />, anyOf: ['matter.read'] },
  { path: '/meetings', label: 'nav.meetings', icon: <CommentOutlined />, anyOf: ['meeting.read'] },
  { path: '/batches', label: 'nav.batches', icon: <ScheduleOutlined />, anyOf: ['supervision.admin'] },
  { path: '/supervision-settings', label: 'nav.supervisionSettings', icon: <ControlOutlined />, anyOf: ['supervision.admin'] },
  { path: '/todos', label: 'nav.todos', icon: <CheckSquareOutlined />, anyOf: ['inbox.read'] },
  { path: '/bulletins', label: 'nav.bulletins', icon: <FileTextOutlined />, anyOf: ['bulletin.read'] },
  { path: '/evaluation', label: 'nav.evaluation', icon: <TrophyOutlined />, anyOf: ['evaluation.read'] },
  { path: '/attraction', label: 'nav.attraction', icon: <RiseOutlined />, anyOf: ['attraction.read'] },
  { path: '/problems', label: 'nav.problems', icon: <IssuesCloseOutlined />, anyOf: ['problem.read'] },
  { path: '/problem-figures', label: 'nav.problemFigures', icon: <PieChartOutlined />, anyOf: ['problem.read'] },
  { path: '/visit', label: 'nav.visit', icon: <CameraOutlined />, anyOf: ['enterprise.write'] },
  { path: '/problem-settings', label: 'nav.problemSettings', icon: <ControlOutlined />, anyOf: ['problem.admin'] },
  { path: '/admin/users', label: 'nav.users', icon: <TeamOutlined />, anyOf: ['user.admin'] },
  { path: '/setup', label: 'nav.setup', icon: <SettingOutlined />, anyOf: ['system.admin'] },
  // Project lists and plans need import.write; a unit imports its own monthly progress with report.write; the unit
  // and user lists need unit.admin / user.admin. After the accounts and setup, so the system administrator still
  // lands on the accounts.
  { path: '/import', label: 'nav.import', icon: <UploadOutlined />, anyOf: ['import.write', 'report.write', 'user.admin', 'unit.admin'] },
  { path: '/admin/units', label: 'nav.units', icon: <ApartmentOutlined />, anyOf: ['unit.admin'] },
  { path: '/admin/calendar', label: 'nav.calendar', icon: <CalendarOutlined />, anyOf: ['period.admin'] },
  { path: '/node-template', label: 'nav.nodeTemplate', icon: <NodeIndexOutlined />, anyOf: ['nodeplan.admin'] },
  { path: '/admin/security', label: 'nav.security', icon: <SafetyOutlined />, anyOf: ['security.admin'] },
  { path: '/audit', label: 'nav.audit', icon: <FileSearchOutlined />, anyOf: ['audit.read'] },
  { path: '/account/tokens', label: 'nav.tokens', icon: <KeyOutlined />, anyOf: ['session.self'] },
];

/** The menu items an account sees, given `can` (useCan()). */
export function navFor(can: (p: Permission) => boolean): NavItem[] {
  return NAV.filter((n) => n.anyOf.some(can));
}

/**
 * Where an account lands after signing in: one that fills reports but does not review them (a unit's 填报员) on
 * this period's to-do (月度填报), others on their first page.
 */
export function homeFor(can: (p: Permission) => boolean): string | undefined {
  if (can('report.write') && !can('report.review')) return '/reports';
  // The system administrator's import (unit and user lists) is an occasional task, not a home: accounts come first.
  return navFor(can).find((n) => n.path !== '/import' || can('import.write') || can('report.write'))?.path;
}

/** The frame of every signed-in page: side menu (a drawer on phones), header with account and language. */
export function AppLayout() {
  const { t, locale, setLocale } = useI18n();
  const { user, logout } = useAuth();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const nav = navFor(can);
  const selected = nav.filter((n) => location.pathname === n.path || location.pathname.startsWith(`${n.path}/`)).map((n) => n.path);
  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      selectedKeys={selected}
      items={nav.map((n) => ({ key: n.path, icon: n.icon, label: t(n.label) }))}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isMobile && (
        <Layout.Sider width={200} breakpoint="lg" collapsible theme="dark">
          <div style={{ color: '#fff', padding: '16px', fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden' }}>{t('app.short')}</div>
          {menu}
        </Layout.Sider>
      )}
      {isMobile && (
        <Drawer placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} size={220} styles={{ body: { padding: 0, background: '#001529' } }} title={t('app.short')}>
          {menu}
        </Drawer>
      )}
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', gap: 12, borderBottom: '1px solid #f0f0f0' }}>
          {isMobile && <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={() => setDrawerOpen(true)} />}
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>{t('app.title')}</Typography.Text>
          <Space size={4}>
            {can('inbox.read') && <TodoBadge />}
            <Button type="text" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="lang-switch">{t('lang.switch')}</Button>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'password', label: t('user.changePassword') },
                  { key: 'logout-all', label: t('user.logoutAll') },
                  { key: 'logout', label: t('user.logout') },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') void navigate('/change-password');
                  else if (key === 'logout-all') void accountApi.logoutAll().finally(() => void logout().then(() => navigate('/login')));
                  else void logout().then(() => navigate('/login'));
                },
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">{isMobile ? null : user?.displayName}</Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: isMobile ? 8 : 16, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
