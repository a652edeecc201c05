import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Badge, Button } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { inboxApi, type InboxCount } from '../api/supervision.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** The header's to-do count (overdue in red), refreshed on every page change; opens the inbox. */
export function TodoBadge() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [count, setCount] = useState<InboxCount | null>(null);
  useEffect(() => {
    let alive = true;
    inboxApi.count().then((c) => alive && setCount(c), () => undefined);
    return () => {
      alive = false;
    };
  }, [location.pathname]);
  return (
    <Button type="text" aria-label={t('todos.badge')} onClick={() => void navigate('/todos')} data-testid="todo-badge">
      <Badge count={count?.open ?? 0} color={count && count.overdue > 0 ? 'red' : 'blue'} size="small" offset={[6, -2]}>
        <BellOutlined />
      </Badge>
    </Button>
  );
}
