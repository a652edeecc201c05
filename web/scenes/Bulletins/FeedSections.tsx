// The draft's choice of feed sections (督查督办, 会议, 问题, 招商; issues 17, 18, 21) and a preview of what each prints,
// composed from the draft's live figures by the same core function the .docx uses.
import { App, Checkbox, Flex, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { bulletinApi, type Bulletin } from '../../api/bulletins.ts';
import { useLoad } from '../../components/useLoad.ts';
import { FEED_KEYS, feedSections, parseOmitted, type FeedKey } from '../../../core/bulletins/feeds.ts';

/** The ticked sections of one bulletin (editable while it is a draft) and their paragraphs as the draft prints them. */
export function FeedSections({ bulletin, canWrite, onChange }: { bulletin: Bulletin; canWrite: boolean; onChange: (b: Bulletin) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const omitted = parseOmitted(bulletin.omitted_feeds);
  const editable = canWrite && bulletin.status === 'draft';
  const figures = useLoad(() => bulletinApi.figures(bulletin.id), [bulletin.id, bulletin.version]);
  const sections = figures.data ? feedSections(figures.data.figures.feeds, bulletin.month) : [];
  const save = (ticked: FeedKey[]) => void bulletinApi.setFeeds(bulletin.id, bulletin.version, FEED_KEYS.filter((k) => !ticked.includes(k))).then((b) => {
    void message.success(t('bulletins.feeds.saved'));
    onChange(b);
  });
  return (
    <Flex vertical gap={6} data-testid={`bulletin-feeds-${bulletin.id}`}>
      <Typography.Text strong>{t('bulletins.feeds.title')}</Typography.Text>
      <Typography.Text type="secondary">{editable ? t('bulletins.feeds.help') : t('bulletins.feeds.locked')}</Typography.Text>
      <Checkbox.Group disabled={!editable} value={FEED_KEYS.filter((k) => !omitted.includes(k))} onChange={(v) => save(v)}
        options={FEED_KEYS.map((k) => ({ value: k, label: <span data-testid={`feed-${k}`}>{t(`bulletins.feed.${k}` as MessageKey)}</span> }))} />
      {figures.data && (
        <Flex vertical gap={4} style={{ maxWidth: 860 }}>
          <Typography.Text type="secondary">{figures.data.frozen ? t('bulletins.versions') : t('bulletins.feeds.preview')}</Typography.Text>
          {sections.length === 0 && <Typography.Text type="secondary">{t('bulletins.feeds.none')}</Typography.Text>}
          {sections.map((s) => (
            <div key={s.key} data-testid={`feed-preview-${s.key}`}>
              <Typography.Text strong>{t(`bulletins.feed.${s.key}` as MessageKey)}</Typography.Text>
              {s.blocks.map((b, i) => (b.kind === 'paragraph' ? <Typography.Paragraph key={i} style={{ marginBottom: 4 }}>{b.text}</Typography.Paragraph> : null))}
            </div>
          ))}
        </Flex>
      )}
    </Flex>
  );
}
