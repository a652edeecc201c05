import { Tag, Typography } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';
import { usePeriodInForce } from './usePeriodInForce.ts';

/**
 * "数据截至 2026年1–11月" under every figure, and a warning when the chosen month is later than the period in force
 * (still being reported, so its figures are partial).
 */
export function DataAsOf({ year, month, label }: { year: number; month: number; label: string }) {
  const { t } = useI18n();
  const current = usePeriodInForce();
  const inForce = current?.in_force;
  const isAhead = !!inForce && year * 100 + month > inForce.year * 100 + inForce.month;
  return (
    <Typography.Text type="secondary" data-testid="data-as-of">
      {t('period.asOf', { period: `${year}年${label}` })}
      {isAhead && <Tag color="warning" style={{ marginLeft: 8 }} data-testid="data-partial">{t('period.partial', { period: `${inForce.year}年${inForce.label}` })}</Tag>}
    </Typography.Text>
  );
}
