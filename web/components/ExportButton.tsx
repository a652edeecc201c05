import { Button, Dropdown } from 'antd';
import { DownloadOutlined, DownOutlined } from '@ant-design/icons';
import { withQuery } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Query = Record<string, string | number | undefined>;

/** What an export can group its rows by (headings with subtotals), as the server names them. */
export const EXPORT_GROUPS = ['campaign_group', 'category', 'region', 'unit'] as const;

/** The URL of an export: `/api/v1/exports/<view>.xlsx` with the view's query (empty values dropped). */
export function exportHref(view: string, query: Query): string {
  return withQuery(`/api/v1/exports/${view}.xlsx`, query);
}

/**
 * 导出Excel: a plain link the browser downloads (the session cookie rides along; the server names the file). With
 * `groups`, a menu offers the same export with group headings and subtotals.
 */
export function ExportButton({ view, query, label, testId, groups = false, disabled = false }: {
  view: string; query: Query; label?: string; testId?: string; groups?: boolean; disabled?: boolean;
}) {
  const { t } = useI18n();
  const button = (
    <Button icon={<DownloadOutlined />} href={disabled ? undefined : exportHref(view, query)} download disabled={disabled} data-testid={testId ?? `export-${view}`}>
      {label ?? t('export.xlsx')}
    </Button>
  );
  if (!groups) return button;
  return (
    <>
      {button}
      <Dropdown
        disabled={disabled}
        menu={{
          items: EXPORT_GROUPS.map((g) => ({
            key: g,
            label: <a href={exportHref(view, { ...query, group_by: g })} download data-testid={`${testId ?? `export-${view}`}-${g}`}>{t(`export.groupBy.${g}`)}</a>,
          })),
        }}
      >
        <Button data-testid={`${testId ?? `export-${view}`}-grouped`}>{t('export.grouped')} <DownOutlined /></Button>
      </Dropdown>
    </>
  );
}
