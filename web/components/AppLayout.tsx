import { useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import {
  AlertOutlined, AuditOutlined, DashboardOutlined, DatabaseOutlined, FormOutlined, MenuOutlined, SettingOutlined, UploadOutlined, UserOutlined,
} from '@ant-design/icons';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { useAuth } from '../auth.tsx';
import type { Role } from '../api/types.ts';

interface NavItem {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Roles that see the entry (the server's permission matrix decides what they may do). */
  roles: readonly Role[];
}

const PROJECT_READERS: readonly Role[] = ['office', 'reporter', 'leader', 'supervisor'];

/** The side menu. A page appears here only once its API is on main (no page shows invented data). */
export const NAV: NavItem[] = [
  { path: '/projects', label: 'nav.projects', icon: <DatabaseOutlined />, roles: PROJECT_READERS },
  { path: '/reports', label: 'nav.reports', icon: <FormOutlined />, roles: PROJECT_READERS },
  { path: '/review', label: 'nav.review', icon: <AuditOutlined />, roles: ['office'] },
  { path: '/import', label: 'nav.import', icon: <UploadOutlined />, roles: ['office', 'reporter'] },
];

// Icons of the pages still waiting for their APIs (dashboard, lights, administration).
export const NAV_ICONS = { dashboard: <DashboardOutlined />, lights: <AlertOutlined />, admin: <SettingOutlined /> };

/** The frame of every signed-in page: side menu (a drawer on phones), header with account and language. */
export function AppLayout() {
  const { t, locale, setLocale } = useI18n();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const nav = NAV.filter((n) => user && n.roles.includes(user.role));
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
            <Button type="text" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="lang-switch">{t('lang.switch')}</Button>
            <Dropdown
              trigger={['click']}
              menu={{ items: [{ key: 'logout', label: t('user.logout') }], onClick: () => void logout().then(() => navigate('/login')) }}
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
