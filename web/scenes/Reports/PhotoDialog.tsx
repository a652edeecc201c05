import { useRef, useState } from 'react';
import { App, Button, Empty, Image, Modal, Space, Spin, Typography } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { reportApi } from '../../api/endpoints.ts';
import { useLoad } from '../../components/useLoad.ts';

/** Site photos of one report: thumbnails and an upload straight from the phone camera. */
export function PhotoDialog({ reportId, title, editable, onClose, onChanged }: {
  reportId: number;
  title: string;
  editable: boolean;
  onClose: () => void;
  onChanged: (count: number) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const { data, loading, setData } = useLoad(() => reportApi.photos(reportId), [reportId]);

  const upload = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setUploading(true);
    try {
      const r = await reportApi.uploadPhotos(reportId, [...files]);
      setData(r);
      onChanged(r.items.length);
      void message.success(t('photos.uploaded', { count: files.length }));
    } catch {
      // The client has shown the message.
    } finally {
      setUploading(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Modal open title={`${t('photos.title')} · ${title}`} onCancel={onClose} footer={<Button onClick={onClose}>{t('common.close')}</Button>} width={640}>
      {editable && (
        <Space style={{ marginBottom: 12 }} wrap>
          <input
            ref={input} type="file" accept="image/*" capture="environment" multiple hidden data-testid="photo-input"
            onChange={(e) => void upload(e.target.files)}
          />
          <Button type="primary" icon={<CameraOutlined />} loading={uploading} onClick={() => input.current?.click()}>{t('photos.take')}</Button>
          <Typography.Text type="secondary">{t('photos.hint')}</Typography.Text>
        </Space>
      )}
      {loading ? <Spin /> : (data?.items.length ?? 0) === 0 ? <Empty description={t('photos.none')} /> : (
        <Image.PreviewGroup>
          <Space wrap>
            {data!.items.map((p) => (
              <Image key={p.id} width={120} height={90} style={{ objectFit: 'cover' }} src={p.thumb_url} preview={{ src: p.url }} alt={p.original_name ?? ''} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
    </Modal>
  );
}
