import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Result, Select, Space, Switch, Upload, type UploadFile } from 'antd';
import { CameraOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { uploadFile } from '../../api/upload.ts';
import { problemsApi, type RaiseInput } from '../../api/problems.ts';

interface VisitForm {
  enterprise_id: number;
  visited_on: Dayjs;
  visitors: string;
  content: string;
  problems?: Array<RaiseInput>;
}

/** A cadre's phone page (走访): pick one of my enterprises, record the visit with photos, raise problems on site. */
export function VisitPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const [form] = Form.useForm<VisitForm>();
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  const [saved, setSaved] = useState<{ problems: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = useLoad(() => problemsApi.enterprises({ mine: '1', page_size: 200 }), []);
  const cats = useLoad(() => problemsApi.categories(), []);

  const submit = async (v: VisitForm) => {
    setBusy(true);
    try {
      const r = await problemsApi.addVisit(v.enterprise_id, {
        visited_on: v.visited_on.format('YYYY-MM-DD'), visitors: v.visitors, content: v.content,
        problems: (v.problems ?? []).map((p) => ({ ...p, level: p.level ?? 'county', is_major: !!p.is_major })),
      });
      for (const f of photos) if (f.originFileObj) await uploadFile(`/enterprise-visits/${r.id}/photos`, f.originFileObj, {});
      setSaved({ problems: r.problem_ids.length });
      void message.success(t('visit.saved'));
    } finally {
      setBusy(false);
    }
  };

  if (saved) {
    return <Result status="success" title={t('visit.saved')} subTitle={t('visit.savedProblems', { n: saved.problems })}
      extra={<Button type="primary" onClick={() => { form.resetFields(); setPhotos([]); setSaved(null); }}>{t('visit.another')}</Button>} />;
  }
  return (
    <Card title={t('visit.title')} styles={{ body: { padding: 12 } }}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ visited_on: dayjs(), visitors: user?.displayName ?? '' }}>
        <Form.Item name="enterprise_id" label={t('visit.enterprise')} rules={[{ required: true, message: t('visit.pickEnterprise') }]}>
          <Select data-testid="visit-enterprise" loading={mine.loading} showSearch optionFilterProp="label" placeholder={t('visit.pickEnterprise')}
            options={(mine.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))} />
        </Form.Item>
        <Form.Item name="visited_on" label={t('visit.date')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} inputReadOnly disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="visitors" label={t('visit.visitors')} rules={[{ required: true, message: t('visit.visitorsRequired') }]}><Input /></Form.Item>
        <Form.Item name="content" label={t('visit.content')} rules={[{ required: true, message: t('visit.contentRequired') }]}><Input.TextArea rows={3} /></Form.Item>
        <Form.Item label={t('visit.photos')}>
          <Upload listType="picture-card" accept="image/*" capture="environment" fileList={photos} beforeUpload={() => false} onChange={({ fileList }) => setPhotos(fileList)}>
            <CameraOutlined />
          </Upload>
        </Form.Item>
        <Form.List name="problems">
          {(fields, { add, remove }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {fields.map((f) => (
                <Card key={f.key} size="small" title={t('visit.problem', { n: f.name + 1 })} extra={<Button type="link" danger onClick={() => remove(f.name)}>{t('visit.remove')}</Button>}>
                  <Form.Item name={[f.name, 'title']} label={t('problem.title')} rules={[{ required: true, message: t('visit.titleRequired') }]}><Input /></Form.Item>
                  <Form.Item name={[f.name, 'category_code']} label={t('problem.category')} rules={[{ required: true, message: t('visit.categoryRequired') }]}>
                    <Select options={(cats.data ?? []).map((c) => ({ value: c.code, label: c.name }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'description']} label={t('problem.description')} rules={[{ required: true, message: t('visit.descriptionRequired') }]}><Input.TextArea rows={2} /></Form.Item>
                  <Form.Item name={[f.name, 'is_major']} label={t('problem.major')} valuePropName="checked"><Switch /></Form.Item>
                </Card>
              ))}
              <Button block icon={<PlusOutlined />} onClick={() => add()}>{t('visit.addProblem')}</Button>
            </Space>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} style={{ marginTop: 16 }}>{t('visit.submit')}</Button>
      </Form>
    </Card>
  );
}
