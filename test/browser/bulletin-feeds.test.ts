import fs from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, settled, shot, startHarness, today, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ projects: 60 });
});
afterAll(async () => {
  await h?.close();
});

/** The text of a downloaded .docx's body (document.xml without tags). */
async function docxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  return (await zip.file('word/document.xml')!.async('string')).replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

// Issues 17, 18, 21: the office drafts this month's bulletin, sees the 督查督办/会议/问题/招商 sections it will quote
// (the demo seeds matters, problems and attraction records this month), leaves one out, and the draft .docx follows.
describe('通报 feed sections', () => {
  it('shows the quoted sections on the draft, leaves one out on request, and the .docx follows', async () => {
    const office = await h.newPage();
    await login(office.page, 'office', 'Docket#2026', `/bulletins?year=${today.year}&month=${today.month}`);
    await office.page.getByTestId('bulletin-new').click();
    const submit = office.page.locator('[data-testid^="bulletin-submit-"]').first();
    await submit.waitFor();
    const bulletinId = Number((await submit.getAttribute('data-testid'))!.replace('bulletin-submit-', ''));
    await office.page.locator('.ant-table-row-expand-icon').first().click();
    const feeds = office.page.getByTestId(`bulletin-feeds-${bulletinId}`);
    await feeds.getByTestId('feed-preview-supervision').getByText(/本月共交办督办事项\d+项，已办结\d+项/).waitFor({ timeout: 60_000 });
    await feeds.getByTestId('feed-preview-problems').getByText(/共收到企业反映问题\d+个/).waitFor();
    await feeds.getByTestId('feed-preview-attraction').getByText(/本月新签约招商项目\d+个/).waitFor();
    await shot(office.page, 'bulletin-feeds-draft');

    const download = async () => {
      const [d] = await Promise.all([office.page.waitForEvent('download', { timeout: 60_000 }), office.page.getByTestId(`bulletin-docx-${bulletinId}`).click()]);
      return docxText(await d.path());
    };
    let text = await download();
    for (const heading of ['督查督办情况', '会议议定事项落实情况', '企业问题办理情况', '招商引资情况']) expect(text).toContain(heading);

    // Untick 招商引资: the preview drops it and the draft document no longer prints it.
    await feeds.getByTestId('feed-attraction').click();
    await feeds.getByTestId('feed-preview-attraction').waitFor({ state: 'detached', timeout: 60_000 });
    await settled(office.page);
    text = await download();
    expect(text).toContain('督查督办情况');
    expect(text).not.toContain('招商引资情况');
    await shot(office.page, 'bulletin-feeds-omitted');
    await office.context.close();
  });
});
