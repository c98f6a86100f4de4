import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(here, 'screenshots');
const CHROMIUM = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].find((p): p is string => !!p && existsSync(p));

if (!CHROMIUM)
  console.warn(
    '\n  ************************************************************************\n' +
      '  * SKIPPING the browser tests of @motcua/web: no Chromium found.        *\n' +
      '  * Install Debian’s: apt-get install -y chromium (or set CHROMIUM_PATH). *\n' +
      '  ************************************************************************\n',
  );

const PASSWORD = 'motcua-demo';
const UNIT = '05152';
const QR = '001090000001||Nguyễn Văn A|01011990|Nam|Số 1 Phố Mẫu, Phường Ba Đình, Thành phố Hà Nội|15042021';
const todayVn = (offsetDays = 0) =>
  new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!CHROMIUM)('the web app in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const state: { dossierId?: string; code?: string; secret?: string } = {};
  const axeResults: { screen: string; violations: { id: string; impact: string | null | undefined }[] }[] =
    [];

  beforeAll(async () => {
    if (!existsSync(join(here, '..', 'dist', 'client', 'index.html')))
      execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts'], {
        cwd: join(here, '..'),
        stdio: 'inherit',
      });
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-'));
    server = await startServer({
      port: 0,
      dataDir,
      demo: true,
      demoDossiers: 60,
      loginRatePerMinute: 1000,
      publicRatePerMinute: 1000,
      env: {},
      log: { info() {}, warn() {}, error() {} },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (axeResults.length)
      console.info(
        `axe (WCAG 2.1 A/AA) on ${axeResults.length} screens: ${axeResults
          .map(
            (r) =>
              `${r.screen}=${r.violations.length ? r.violations.map((v) => `${v.id}(${v.impact})`).join('+') : 'clean'}`,
          )
          .join(', ')}`,
      );
  });

  const newPage = async (width = 1366, height = 768) => {
    const context = await browser.newContext({
      viewport: { width, height },
      baseURL: server.url,
      locale: 'vi-VN',
    });
    contexts.push(context);
    return context.newPage();
  };
  const signIn = async (username: string, width = 1366, height = 768) => {
    const page = await newPage(width, height);
    await page.goto('/login');
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  };
  /** No serious or critical WCAG 2.1 A/AA violation on the page as it stands. */
  const axe = async (page: Page, screen: string) => {
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    axeResults.push({ screen, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact })) });
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
      screen,
    ).toEqual([]);
  };
  /** The screen at the desk's 1366×768 and at a phone's 390 wide. */
  const shoot = async (page: Page, name: string) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: join(SHOTS, `${name}-1366.png`), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, `${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });
  };
  const act = async (page: Page, action: string, fill?: (p: Page) => Promise<void>) => {
    await page.getByRole('button', { name: action, exact: true }).click();
    if (fill) await fill(page);
    await page.getByRole('button', { name: `Ghi nhận: ${action}` }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Đã ghi nhận.' }).count()).toBe(1);
  };

  it('reception: procedure search without diacritics, ID card QR, live appointment, field errors, receipt PDF', async () => {
    const page = await signIn(`tiepnhan.${UNIT}`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/reception');
    await page.getByLabel('Tìm thủ tục').fill('dang ky khai sinh');
    await page.getByRole('button', { name: /^Đăng ký khai sinh ·/ }).click();
    const detail = page.getByTestId('procedure-detail');
    await expect.poll(() => detail.textContent()).toContain('Giấy chứng sinh');
    expect(await detail.textContent()).toContain('Trong ngày');
    await page.getByLabel('Quét hoặc dán mã QR trên căn cước').fill(QR);
    await page.getByLabel('Quét hoặc dán mã QR trên căn cước').press('Enter');
    await expect.poll(() => page.getByLabel('Họ và tên *').inputValue()).toBe('Nguyễn Văn A');
    expect(await page.getByLabel('Số định danh cá nhân (12 số)').inputValue()).toBe('001090000001');
    expect(await page.getByText('Phường Ba Đình').count()).toBe(1);
    // The appointment follows the channel and the received time.
    const preview = page.getByTestId('appointment-preview');
    await expect.poll(() => preview.textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    await page.getByLabel('Thời điểm nhận hồ sơ').fill(`${todayVn(-60)}T16:30`);
    await expect.poll(() => preview.textContent()).toContain('15:00');
    // Back to a time already past (a dossier cannot be received in the future): two minutes ago, in Vietnam.
    await page
      .getByLabel('Thời điểm nhận hồ sơ')
      .fill(new Date(Date.now() + 7 * 3_600_000 - 120_000).toISOString().slice(0, 16));
    // An API error appears next to the field it names, in Vietnamese.
    await page.getByLabel('Số điện thoại').fill('abc');
    await page.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn' }).click();
    const phone = page.getByLabel('Số điện thoại');
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Số điện thoại phải bắt đầu bằng 0, 84 hoặc +84').count()).toBe(1);
    await axe(page, 'reception');
    await shoot(page, '1-reception');
    await phone.fill('0912345678');
    await page.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn' }).click();
    await page.getByRole('heading', { name: /Đã tiếp nhận hồ sơ/ }).waitFor();
    const href = await page.getByTestId('receipt-link').getAttribute('href');
    expect(href).toMatch(/^\/api\/dossiers\/[0-9a-f-]+\/forms\/receipt\.pdf\?secret=\w+$/);
    state.dossierId = href!.split('/')[3]!;
    state.secret = (await page.getByTestId('lookup-secret').textContent())!;
    state.code = (await page.getByRole('heading', { name: /Đã tiếp nhận hồ sơ/ }).textContent())!
      .split(' ')
      .at(-1)!;
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = (await pdf.body()).toString('latin1');
    expect(bytes.startsWith('%PDF')).toBe(true);
    // Diacritics in the PDF: its text, extracted by poppler's pdftotext where installed (CI installs it).
    const pdftotext = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));
    if (pdftotext) {
      const text = execFileSync(pdftotext, ['-', '-'], { input: await pdf.body() }).toString('utf8');
      expect(text).toContain('Nguyễn Văn A');
      expect(text).toContain('Đăng ký khai sinh');
    } else console.warn('pdftotext not found: the PDF diacritics check is skipped');
    await shoot(page, '1-reception-done');
  });

  it('processing: transfer, supplement requested and received, resolve, return, with errors by the field', async () => {
    const reception = await signIn(`tiepnhan.${UNIT}`);
    const specialist = await signIn(`chuyenvien.${UNIT}`);
    const url = `/dossiers/${state.dossierId}`;
    await reception.goto(url);
    await act(reception, 'Chuyển xử lý', async (p) => {
      await p.getByLabel('Chuyển đến bước').fill('Thẩm định');
      await p.getByLabel('Người nhận (tên đăng nhập)').fill(`chuyenvien.${UNIT}`);
    });
    await specialist.goto(url);
    expect(await specialist.getByTestId('timeline').textContent()).toContain('Chuyển xử lý');
    // A supplement request without a reason: the API's message sits next to the reasons field.
    await specialist.getByRole('button', { name: 'Yêu cầu bổ sung hồ sơ', exact: true }).click();
    await specialist.getByRole('button', { name: 'Ghi nhận: Yêu cầu bổ sung hồ sơ' }).click();
    const reasons = specialist.getByLabel('Lý do yêu cầu bổ sung (mỗi dòng một lý do)');
    await expect.poll(() => reasons.getAttribute('aria-invalid')).toBe('true');
    expect(await specialist.getByText('Yêu cầu bổ sung phải nêu lý do').count()).toBe(1);
    // ... and in English once the officer switches language.
    await specialist.getByRole('button', { name: 'English' }).click();
    await specialist.getByRole('button', { name: 'Record: Supplement requested' }).click();
    await expect.poll(() => specialist.getByText('A supplement request lists its reasons').count()).toBe(1);
    await specialist.getByRole('button', { name: 'Tiếng Việt' }).click();
    await reasons.fill('Thiếu bản sao giấy tờ tùy thân của người đi khai sinh');
    await specialist.getByRole('button', { name: 'Ghi nhận: Yêu cầu bổ sung hồ sơ' }).click();
    await expect.poll(() => specialist.getByTestId('phase').textContent()).toContain('Chờ bổ sung hồ sơ');
    await axe(specialist, 'dossier');
    await shoot(specialist, '3-dossier');
    await reception.reload();
    await act(reception, 'Nhận hồ sơ bổ sung');
    await expect.poll(() => reception.getByTestId('phase').textContent()).toContain('Đang giải quyết');
    await specialist.reload();
    await act(specialist, 'Có kết quả');
    await reception.reload();
    await act(reception, 'Trả kết quả');
    await expect.poll(() => reception.getByTestId('phase').textContent()).toContain('Đã trả kết quả');
    const timeline = (await reception.getByTestId('timeline').textContent()) ?? '';
    for (const e of [
      'Tiếp nhận hồ sơ',
      'Chuyển xử lý',
      'Yêu cầu bổ sung hồ sơ',
      'Nhận hồ sơ bổ sung',
      'Có kết quả',
      'Trả kết quả',
    ])
      expect(timeline).toContain(e);
    // The API agrees.
    const api = await reception.request.get(`/api/dossiers/${state.dossierId}`);
    expect(((await api.json()) as { dossier: { phase: string } }).dossier.phase).toBe('returned');
  });

  it('work list: counters, colours and filters', async () => {
    const page = await signIn(`chuyenvien.${UNIT}`);
    // Dossiers of the demo data fall overdue as the clock runs (an appointment can pass while the test
    // runs), so the counter must lie between the API's totals read before and after it.
    const overdueTotal = async () =>
      (
        (await (await page.request.get(`/api/units/${UNIT}/dossiers?list=overdue&limit=1`)).json()) as {
          total: number;
        }
      ).total;
    const before = await overdueTotal();
    expect(before).toBeGreaterThan(0);
    await page.goto('/work');
    await page.getByTestId('counter-overdue').click();
    await page.getByTestId('work-table').waitFor();
    await expect.poll(() => page.getByTestId('counter-overdue').textContent()).toMatch(/\d/);
    const shown = Number(/\d+/.exec((await page.getByTestId('counter-overdue').textContent()) ?? '')?.[0]);
    const after = await overdueTotal();
    expect(shown).toBeGreaterThanOrEqual(before);
    expect(shown).toBeLessThanOrEqual(after);
    const dues = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-due')));
    expect(new Set(dues)).toEqual(new Set(['overdue']));
    await page.getByTestId('counter-all').click();
    await page.getByLabel('Hình thức').selectOption('online');
    await expect
      .poll(async () => new Set(await page.locator('tbody tr td:nth-child(4)').allTextContents()))
      .toEqual(new Set(['Trực tuyến']));
    await page.getByLabel('Hình thức').selectOption('');
    await page.getByTestId('counter-overdue').click();
    await axe(page, 'worklist');
    await shoot(page, '2-worklist');
  });

  it('public status page from the receipt’s QR payload, no login, big plain Vietnamese', async () => {
    // The receipt's QR code carries `${publicUrl}/status?code=…&secret=…` (src/app.ts, receipt route).
    const payload = `${server.url}/status?code=${encodeURIComponent(state.code!)}&secret=${encodeURIComponent(state.secret!)}`;
    const page = await newPage(390, 844);
    await page.goto(payload);
    const box = page.getByTestId('public-status');
    await box.waitFor();
    expect(await box.textContent()).toContain('Đã trả kết quả.');
    expect(await box.textContent()).toContain('Đăng ký khai sinh');
    const size = await page
      .locator('p', { hasText: 'Đã trả kết quả.' })
      .evaluate((e) => getComputedStyle(e).fontSize);
    expect(Number.parseFloat(size)).toBeGreaterThanOrEqual(24);
    expect(await page.getByText(/Nguyễn|001090000001/).count()).toBe(0); // no personal data
    await axe(page, 'status');
    await shoot(page, '6-status');
    await page.goto(`/status?code=${encodeURIComponent(state.code!)}&secret=WRONG123`);
    await page.getByText('Không tìm thấy hồ sơ').waitFor();
  });

  it('dashboard figures equal what the API reports; CSV export', async () => {
    const page = await signIn(`lanhdao.${UNIT}`);
    const stats = async () =>
      (
        (await (
          await page.request.get(`/api/units/${UNIT}/stats?from=${todayVn(-29)}&to=${todayVn()}`)
        ).json()) as { total: Record<string, Record<string, number>> }
      ).total;
    const before = await stats();
    await page.goto('/dashboard');
    await page.getByTestId('kpis').waitFor();
    const t = await stats();
    const kpi = async (k: string) => page.locator(`[data-kpi="${k}"] strong`).textContent();
    expect(await kpi('received')).toBe(String(t.received!.total));
    expect(await kpi('resolved')).toBe(String(t.resolved!.total));
    expect(await kpi('early')).toBe(String(t.resolved!.early));
    expect(await kpi('onTime')).toBe(String(t.resolved!.onTime));
    expect(await kpi('late')).toBe(String(t.resolved!.late));
    expect(await kpi('inProgress')).toBe(String(t.inProgress!.total));
    // Overdue grows as appointments pass while the test runs: between the totals before and after.
    const overdue = Number(await kpi('overdue'));
    expect(overdue).toBeGreaterThanOrEqual(before.inProgress!.overdue!);
    expect(overdue).toBeLessThanOrEqual(t.inProgress!.overdue!);
    await page.locator('.uplot, [class*="uplot"]').first().waitFor();
    // The leader's panels: the national systems' health and who can sign.
    await page.getByTestId('health').waitFor();
    expect(await page.getByTestId('health').textContent()).toContain('Kết nối với các hệ thống quốc gia');
    await page.getByTestId('readiness').waitFor();
    const csv = await page.request.get((await page.getByTestId('csv').getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const xlsx = await page.request.get((await page.getByTestId('xlsx').getAttribute('href'))!);
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK'); // a zip, as XLSX files are
    await axe(page, 'dashboard');
    await shoot(page, '7-dashboard');
  });

  it('a user of one commune cannot open another commune’s dossier', async () => {
    const page = await signIn('tiepnhan.23110');
    await page.goto(`/dossiers/${state.dossierId}`);
    await page.getByRole('heading', { name: 'Không tìm thấy' }).waitFor();
    expect(await page.getByText(state.code!).count()).toBe(0);
    expect((await page.request.get(`/api/dossiers/${state.dossierId}`)).status()).toBe(404);
  });

  it('fees: a VietQR the platform’s callback settles, the panel turning to paid; a counter collection with its receipt', async () => {
    const page = await signIn(`tiepnhan.${UNIT}`);
    const csrf = ((await (await page.request.get('/api/me')).json()) as { csrfToken: string }).csrfToken;
    const intake = async (procedureCode: string, form?: unknown) => {
      const made = await page.request.post(`/api/units/${UNIT}/dossiers`, {
        headers: { 'x-csrf-token': csrf },
        data: {
          procedureCode,
          applicant: { kind: 'person', person: { fullName: 'Lê Văn Phí' } },
          ...(form ? { form } : {}),
        },
      });
      expect(made.status()).toBe(201);
      return ((await made.json()) as { dossier: { id: string } }).dossier;
    };
    // A copy of a civil-status extract, 8,000 VND, paid by VietQR.
    const a = await intake('2.000635');
    await page.goto(`/dossiers/${a.id}`);
    const panel = page.getByTestId('fee-panel');
    await expect.poll(() => panel.getByTestId('fee-amount').textContent()).toContain('8.000');
    expect(await panel.textContent()).toContain('Thông tư 281/2016/TT-BTC');
    await panel.getByRole('button', { name: 'Thu bằng mã VietQR' }).click();
    const qr = panel.getByTestId('fee-vietqr');
    await qr.locator('svg').first().waitFor();
    expect(await qr.textContent()).toContain('Đang chờ thanh toán');
    await shoot(page, 'fee-vietqr');
    await axe(page, 'fee-vietqr');
    // The demo button stands in for the citizen's bank app: the simulator posts the signed callback.
    await panel.getByRole('button', { name: 'Người dân thanh toán (thử nghiệm)' }).click();
    await expect
      .poll(() => panel.getByTestId('fee-amount').textContent(), { timeout: 15_000 })
      .toContain('Đã nộp');
    expect(await panel.getByTestId('fee-receipt-number').textContent()).toMatch(/^BL\d{2}E\/\d{7}$/);
    expect(await panel.textContent()).toContain('Chuyển khoản VietQR');
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('Nộp phí, lệ phí');

    // A certified copy of a 3-page original (2 × 2,000 + 1,000), collected at the counter.
    const b = await intake('2.000815', { fee: { documents: [{ pages: 3, copies: 1 }] } });
    await page.goto(`/dossiers/${b.id}`);
    await expect.poll(() => panel.getByTestId('fee-amount').textContent()).toContain('5.000');
    await panel.getByRole('button', { name: 'Thu tại quầy', exact: true }).click();
    const amount = panel.getByLabel('Số tiền đã thu (đồng)');
    await amount.fill('4000');
    await panel.getByRole('button', { name: 'Xác nhận đã thu và cấp biên lai' }).click();
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    await amount.fill('5000');
    await panel.getByRole('button', { name: 'Xác nhận đã thu và cấp biên lai' }).click();
    await expect.poll(() => panel.getByTestId('fee-amount').textContent()).toContain('Đã nộp');
    const href = await panel.getByRole('link', { name: 'In biên lai thu phí (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await shoot(page, 'fee-paid');

    // Birth registration: free only when registered on time, and no provincial tariff is loaded, so the
    // fee cannot be computed until the officer declares the exemption's condition.
    const c = await intake('1.001193');
    await page.goto(`/dossiers/${c.id}`);
    await panel.getByTestId('fee-unpriced').waitFor();
    expect(await panel.getByTestId('fee-amount').textContent()).toContain('Chưa tính được');
    await panel.getByRole('button', { name: 'Khai điều kiện miễn, giảm' }).click();
    await panel.getByLabel('Đăng ký đúng hạn (khai sinh, khai tử)').check();
    await shoot(page, 'fee-unpriced');
    await axe(page, 'fee-unpriced');
    await panel.getByRole('button', { name: 'Tính lại phí' }).click();
    await expect.poll(() => panel.getByTestId('fee-amount').textContent()).toContain('Không phải nộp');
  });

  it('public board with a QR per procedure, and the queue: take a number, call it, see it on the display', async () => {
    const board = await newPage();
    await board.goto(`/board/${UNIT}`);
    await board.getByRole('heading', { name: 'Thủ tục hành chính tại Xã Vân Sơn' }).waitFor();
    const qr = board.getByRole('img', { name: 'Mã QR: Đăng ký khai sinh', exact: true });
    await qr.waitFor();
    const src = await qr.getAttribute('src');
    const svg = await board.request.get(src!);
    expect(svg.headers()['content-type']).toBe('image/svg+xml');
    await axe(board, 'board');
    await shoot(board, '5-board');
    await board.getByRole('link', { name: 'Đăng ký khai sinh', exact: true }).click();
    await board.getByText('Giấy chứng sinh').waitFor();

    const desk = await signIn(`tiepnhan.${UNIT}`);
    await desk.goto('/queue');
    await desk.getByRole('button', { name: 'Lấy số' }).click();
    await expect.poll(() => desk.getByTestId('ticket').textContent()).toBe('A001');
    await desk.getByRole('button', { name: 'Gọi số tiếp theo' }).click();
    await desk.getByText('Đã gọi số 1 đến quầy A').waitFor();
    await shoot(desk, '5-queue');
    const display = await newPage();
    await display.goto(`/queue/display/${UNIT}`);
    await display.getByText('A001').waitFor();
    await axe(display, 'queue-display');
    await shoot(display, '5-queue-display');
  });

  it('Vietnamese diacritics render in pages (precomposed text, a font with the glyphs)', async () => {
    const page = await signIn(`tiepnhan.${UNIT}`);
    await page.goto('/reception');
    const h1 = await page.getByRole('heading', { level: 1 }).textContent();
    expect(h1).toBe('Tiếp nhận hồ sơ');
    expect(h1!.normalize('NFC')).toBe(h1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    // A glyph missing from the font would fall back to the same box for every letter: compare widths.
    const widths = await page.evaluate(() => {
      const c = document.createElement('canvas').getContext('2d')!;
      c.font = `16px ${getComputedStyle(document.body).fontFamily}`;
      return ['ế', 'ữ', 'ặ', 'đ', 'Đ', 'ộ'].map((ch) => c.measureText(ch).width);
    });
    for (const w of widths) expect(w).toBeGreaterThan(0);
    const names = await page.getByRole('list', { name: 'Thủ tục' }).textContent();
    expect(names).toContain('Chứng thực chữ ký trong các giấy tờ, văn bản');
  });
  it('work list: procedure and channel filtered by the API (the total counts every page), counters unchanged', async () => {
    const page = await signIn(`chuyenvien.${UNIT}`);
    const total = async (qs: string) =>
      (
        (await (await page.request.get(`/api/units/${UNIT}/dossiers?${qs}&limit=1`)).json()) as {
          total: number;
        }
      ).total;
    await page.goto('/work');
    await page.getByTestId('counter-all').click();
    await page.getByTestId('work-table').waitFor();
    const allCounter = await page.getByTestId('counter-all').textContent();
    await page.getByLabel('Thủ tục', { exact: true }).selectOption({ label: 'Đăng ký khai sinh' });
    await page.getByLabel('Hình thức').selectOption('direct');
    const want = await total('list=all&procedure=1.001193&channel=direct');
    expect(want).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByText(/^Hiển thị \d+ \/ \d+ hồ sơ$/).textContent())
      .toContain(`/ ${want} hồ sơ`);
    expect(new Set(await page.locator('tbody tr td:nth-child(3)').allTextContents())).toEqual(
      new Set(['Đăng ký khai sinh']),
    );
    expect(new Set(await page.locator('tbody tr td:nth-child(4)').allTextContents())).toEqual(
      new Set(['Trực tiếp']),
    );
    // The counters still count the whole lists, not the filtered page.
    expect(await page.getByTestId('counter-all').textContent()).toBe(allCounter);
    await axe(page, 'worklist-filtered');
    await shoot(page, '2-worklist-filtered');
  });

  it('unit admin: create a user with a one-time password, change roles, disable; a typhoon closure moves appointments', async () => {
    const admin = await signIn(`quantri.${UNIT}`);
    await admin.getByRole('link', { name: 'Quản trị đơn vị' }).click();
    await admin.getByTestId('users-table').waitFor();
    expect(await admin.locator(`tr[data-user="tiepnhan.${UNIT}"]`).textContent()).toContain('Đang hoạt động');
    // A new receptionist: the password is shown once, and it signs in.
    await admin.getByLabel('Tên đăng nhập').fill(`tiepnhan9.${UNIT}`);
    await admin.getByLabel('Họ và tên').fill('Phạm Thị Thử');
    await admin.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const shown = admin.getByTestId('one-time-password');
    await shown.waitFor();
    const password = (await shown.locator('code').textContent())!;
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    await axe(admin, 'unit-admin');
    await shoot(admin, '8-unit-admin');
    await admin.getByRole('button', { name: 'Đã trao mật khẩu' }).click();
    expect(await admin.getByText(password).count()).toBe(0);
    const fresh = await newPage();
    await fresh.goto('/login');
    await fresh.getByLabel('Tên đăng nhập').fill(`tiepnhan9.${UNIT}`);
    await fresh.getByLabel('Mật khẩu').fill(password);
    await fresh.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => new URL(fresh.url()).pathname).toBe('/reception');
    // Roles: the new user becomes a specialist too.
    const row = admin.locator(`tr[data-user="tiepnhan9.${UNIT}"]`);
    await row.getByLabel('Chuyên viên').check();
    await row.getByRole('button', { name: `Lưu vai trò của tiepnhan9.${UNIT}` }).click();
    await expect.poll(() => row.getByRole('button', { name: /^Lưu vai trò/ }).count()).toBe(0);
    const users = (await (await admin.request.get(`/api/units/${UNIT}/users`)).json()) as {
      username: string;
      roles: string[];
    }[];
    expect(users.find((u) => u.username === `tiepnhan9.${UNIT}`)?.roles).toEqual([
      'receptionist',
      'specialist',
    ]);
    // Disable: the account is locked and its session ends.
    await row.getByRole('button', { name: `Khóa tài khoản tiepnhan9.${UNIT}` }).click();
    await expect.poll(() => row.textContent()).toContain('Đã khóa');
    await expect
      .poll(async () => (await fresh.request.get('/api/me')).status(), { timeout: 15_000 })
      .toBe(401);
    // A typhoon closes the center on the day an unfinished dossier is due: its appointment moves.
    const { items } = (await (
      await admin.request.get(`/api/units/${UNIT}/dossiers?list=all&limit=500`)
    ).json()) as { items: { code: string; phase: string; appointment: string | null }[] };
    const due = items.find(
      (d) =>
        ['received', 'inProgress'].includes(d.phase) &&
        d.appointment &&
        Date.parse(d.appointment) > Date.now() + 86_400_000,
    )!;
    expect(due).toBeDefined();
    const day = new Date(Date.parse(due.appointment!) + 7 * 3_600_000).toISOString().slice(0, 10);
    await admin.getByRole('button', { name: 'Thêm ngày đóng cửa' }).click();
    const closure = admin.getByTestId('closure').last();
    await closure.getByLabel('Ngày', { exact: true }).fill(day);
    await closure.getByLabel('Lý do', { exact: true }).fill('Bão số 3: trung tâm đóng cửa');
    await admin.getByRole('button', { name: 'Lưu lịch làm việc' }).click();
    const moved = admin.getByTestId('moved');
    await moved.waitFor();
    const n = Number(/(\d+) hồ sơ được dời ngày hẹn/.exec((await moved.textContent()) ?? '')?.[1]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await moved.textContent()).toContain(due.code);
    await moved.scrollIntoViewIfNeeded();
    await axe(admin, 'unit-admin-calendar');
    await shoot(admin, '8-unit-admin-calendar');
    const after = (await (
      await admin.request.get(`/api/units/${UNIT}/dossiers?q=${encodeURIComponent(due.code)}&limit=1`)
    ).json()) as { items: { appointment: string }[] };
    expect(Date.parse(after.items[0]!.appointment)).toBeGreaterThan(Date.parse(due.appointment!));
    // The calendar keeps the closure.
    const cal = (await (await admin.request.get(`/api/units/${UNIT}/calendar`)).json()) as {
      closures: { date: string }[];
    };
    expect(cal.closures.map((c) => c.date)).toContain(day);
    // A wrong hours entry is refused next to its field.
    await admin.getByLabel('Thứ Bảy').fill('sáng');
    await admin.getByRole('button', { name: 'Lưu lịch làm việc' }).click();
    await expect.poll(() => admin.getByLabel('Thứ Bảy').getAttribute('aria-invalid')).toBe('true');
    await admin.getByLabel('Thứ Bảy').fill('');
    // Other staff have no admin page.
    const specialist = await signIn(`chuyenvien.${UNIT}`);
    expect(await specialist.getByRole('link', { name: 'Quản trị đơn vị' }).count()).toBe(0);
    expect((await specialist.request.get(`/api/units/${UNIT}/users`)).status()).toBe(403);
  });

  it('unit admin: the signing set-up assigns and removes an officer’s credential, errors next to the field in the chosen language', async () => {
    const admin = await signIn(`quantri.${UNIT}`);
    await admin.getByRole('link', { name: 'Quản trị đơn vị' }).click();
    const panel = admin.getByTestId('signing-setup');
    await panel.getByTestId('signing-officers').waitFor();
    const readiness = async () =>
      Object.fromEntries(
        (
          (await (await admin.request.get(`/api/units/${UNIT}/signing-readiness`)).json()) as {
            officers: { username: string; ready: boolean; credentialId: string | null }[];
          }
        ).officers.map((o) => [o.username, o]),
      );
    // Each officer with how they sign and their certificate; the admin has none yet.
    const leader = panel.locator(`tr[data-officer="lanhdao.${UNIT}"]`);
    expect(await leader.textContent()).toContain('Xác nhận trên điện thoại');
    expect(await leader.textContent()).toContain('Ký được');
    const row = panel.locator(`tr[data-officer="quantri.${UNIT}"]`);
    expect(await row.textContent()).toContain('Chưa có chứng thư');
    expect(await row.textContent()).toContain('Chưa ký được');
    const before = (await readiness())[`quantri.${UNIT}`]!;
    expect(before).toMatchObject({ ready: false, credentialId: null });
    // A credential the provider does not know: refused next to the field.
    await row.getByRole('button', { name: 'Gán chứng thư cho Quản trị Xã Vân Sơn' }).click();
    const form = panel.getByTestId('credential-form');
    const credential = form.getByLabel('Mã chứng thư (credential ID)');
    await form.getByLabel('Cách ký').selectOption({ label: 'Mã PIN (CSC)' });
    await credential.fill('cred-khong-co');
    await form.getByRole('button', { name: 'Lưu chứng thư' }).click();
    await expect.poll(() => credential.getAttribute('aria-invalid')).toBe('true');
    const described = (await credential.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await admin.locator(`[id="${described}"]`).textContent()).toContain(
      'dịch vụ ký số không có chứng thư này',
    );
    await form.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await axe(admin, 'unit-admin-signing-form');
    await shoot(admin, '8-unit-admin-signing-form');
    // The right one: saved, with the certificate's holder and expiry read from the provider.
    await credential.fill('cred-rsa-an');
    await form.getByRole('button', { name: 'Lưu chứng thư' }).click();
    const done = panel.getByTestId('signing-setup-done');
    await expect
      .poll(() => done.textContent())
      .toContain('Đã lưu chứng thư của Quản trị Xã Vân Sơn: Nguyễn Văn An');
    await expect.poll(() => row.textContent()).toContain('Người được cấp: Nguyễn Văn An');
    expect(await row.textContent()).toContain('cred-rsa-an');
    expect(await row.textContent()).toContain('Hiệu lực đến');
    expect(await row.locator('td').nth(2).textContent()).toBe('Ký được');
    expect((await readiness())[`quantri.${UNIT}`]).toMatchObject({
      ready: true,
      credentialId: 'cred-rsa-an',
    });
    await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await axe(admin, 'unit-admin-signing');
    await shoot(admin, '8-unit-admin-signing');
    // Removed after a confirmation: back to no credential.
    await row.getByRole('button', { name: 'Gỡ chứng thư của Quản trị Xã Vân Sơn' }).click();
    await row.getByRole('button', { name: 'Xác nhận gỡ' }).click();
    await expect.poll(() => done.textContent()).toContain('Đã gỡ chứng thư của Quản trị Xã Vân Sơn.');
    await expect.poll(() => row.textContent()).toContain('Chưa có chứng thư');
    expect((await readiness())[`quantri.${UNIT}`]).toMatchObject({ ready: false, credentialId: null });
    // In English, the error is in English, still next to its field.
    await admin.getByRole('button', { name: 'English' }).click();
    await row.getByRole('button', { name: 'Assign a credential to Quản trị Xã Vân Sơn' }).click();
    await form.getByLabel('Credential ID').fill('cred-khong-co');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await expect.poll(() => form.getByLabel('Credential ID').getAttribute('aria-invalid')).toBe('true');
    expect(await form.textContent()).toContain('the signing service does not know this credential');
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await panel.getByTestId('credential-form').count()).toBe(0);
    // Delegations stay with the leaders: the panel points to their screen.
    expect(await panel.getByRole('link', { name: 'Open the Signing screen' }).getAttribute('href')).toBe(
      '/signing',
    );
    expect((await readiness())[`quantri.${UNIT}`]).toMatchObject({ ready: false, credentialId: null });
  });

  it('province roll-up: a province viewer sees each commune of the province and the total, as the API counts them', async () => {
    // A second commune of Phú Thọ (province 25) with a dossier, so the total adds up more than one commune.
    const { store } = server;
    await store.upsertUnit({
      code: '05155',
      name: 'Xã Thử Nghiệm',
      provinceCode: '25',
      agencyCode: 'H25.X05155',
    });
    const births = (await store.listProcedures(UNIT, 'khai sinh')) as { code: string }[];
    await store.upsertProcedures('05155', (await store.listProcedures(UNIT)) as never);
    await store.createDossier({
      unitCode: '05155',
      procedure: (await store.getProcedure('05155', births[0]!.code)) as never,
      channel: 'online',
      applicant: { kind: 'person', person: { fullName: 'Đỗ Văn Thử' } },
      receivedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      actor: null,
    });
    const page = await signIn('tinh.25');
    await page.goto('/dashboard');
    const rollup = page.getByTestId('province-rollup');
    await rollup.locator('tfoot').waitFor();
    const api = (await (
      await page.request.get(`/api/provinces/25/stats?from=${todayVn(-29)}&to=${todayVn()}`)
    ).json()) as {
      units: { code: string; figures: { received: { total: number }; resolved: { total: number } } }[];
      total: { received: { total: number }; resolved: { total: number } };
    };
    expect(api.units.map((u) => u.code)).toEqual([UNIT, '05155']);
    const cell = (unit: string, col: number) =>
      rollup.locator(`tr[data-unit="${unit}"] td:nth-of-type(${col})`).textContent();
    for (const u of api.units) {
      expect(await cell(u.code, 1)).toBe(String(u.figures.received.total));
      expect(await cell(u.code, 2)).toBe(String(u.figures.resolved.total));
    }
    expect(await cell('total', 1)).toBe(String(api.total.received.total));
    expect(api.total.received.total).toBe(api.units.reduce((n, u) => n + u.figures.received.total, 0));
    // Another province is not theirs.
    expect((await page.request.get('/api/provinces/68/stats')).status()).toBe(404);
    await axe(page, 'province');
    await shoot(page, '7-province');
    // A commune's name opens its own figures.
    await rollup.getByRole('button', { name: 'Xem chi tiết Xã Thử Nghiệm' }).click();
    await expect
      .poll(() => page.locator('[data-kpi="received"] strong').textContent())
      .toBe(String(api.units[1]!.figures.received.total));
  });

  it('signing: the specialist signs the result with PIN and OTP, the leader approves on the demo phone, the signed PDF verifies', async () => {
    const reception = await signIn(`tiepnhan.${UNIT}`);
    const csrf = ((await (await reception.request.get('/api/me')).json()) as { csrfToken: string }).csrfToken;
    const made = await reception.request.post(`/api/units/${UNIT}/dossiers`, {
      headers: { 'x-csrf-token': csrf },
      data: { procedureCode: '1.004873', applicant: { kind: 'person', person: { fullName: 'Trần Văn Ký' } } },
    });
    expect(made.status()).toBe(201);
    const { dossier } = (await made.json()) as { dossier: { id: string; code: string } };
    const specialist = await signIn(`chuyenvien.${UNIT}`);
    await specialist.goto(`/dossiers/${dossier.id}`);
    const panel = specialist.getByTestId('sign-panel');
    await panel.getByRole('button', { name: 'Ký kết quả (chuyên viên)' }).click();
    // Demo mode shows the synthetic PIN and, once sent, the OTP (the "SMS").
    const pin = /mã PIN là (\d+)/.exec(
      (await panel.getByText('Thử nghiệm: mã PIN là').textContent()) ?? '',
    )![1]!;
    await panel.getByLabel('Mã PIN').fill(pin === '000000' ? '111111' : '000000');
    await panel.getByRole('button', { name: 'Gửi mã OTP' }).click();
    const otp = /mã OTP là (\d+)/.exec(
      (await panel.getByText('Thử nghiệm: mã OTP là').textContent()) ?? '',
    )![1]!;
    await panel.getByLabel('Mã OTP').fill(otp);
    await panel.getByRole('button', { name: 'Ký kết quả (chuyên viên)' }).last().click();
    // A wrong PIN: the message sits next to the PIN field.
    await expect
      .poll(() => panel.getByLabel('Mã PIN').getAttribute('aria-invalid'), { timeout: 30_000 })
      .toBe('true');
    await panel.getByLabel('Mã PIN').fill(pin);
    await panel.getByRole('button', { name: 'Gửi mã OTP' }).click();
    const otpText = async () =>
      /mã OTP là (\d+)/.exec((await panel.getByText('Thử nghiệm: mã OTP là').textContent()) ?? '')?.[1];
    // A new OTP (the simulator's codes are 6 random digits: a repeat is one in a million).
    await expect.poll(otpText, { timeout: 15_000 }).not.toBe(otp);
    const otp2 = (await otpText())!;
    await panel.getByLabel('Mã OTP').fill(otp2);
    await panel.scrollIntoViewIfNeeded();
    await shoot(specialist, '3-dossier-sign');
    await panel.getByRole('button', { name: 'Ký kết quả (chuyên viên)' }).last().click();
    await expect.poll(() => panel.getByText('Chờ lãnh đạo ký').count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => panel.getByTestId('verification').textContent(), { timeout: 15_000 })
      .toBe('Chữ ký hợp lệ');

    const leader = await signIn(`lanhdao.${UNIT}`);
    await leader.goto('/signing');
    const row = leader.getByTestId('approvals').locator('tr', { hasText: dossier.code });
    await row.getByRole('button', { name: 'Ký phê duyệt' }).click();
    await row.getByRole('button', { name: 'Gửi yêu cầu ký đến điện thoại' }).click();
    await expect.poll(() => row.getByText('Đã gửi yêu cầu ký').count(), { timeout: 30_000 }).toBe(1);
    // The unit's signing readiness: the unit admin has no credential.
    await expect
      .poll(() => leader.getByTestId('readiness').locator('tr', { hasText: 'Quản trị' }).textContent(), {
        timeout: 30_000,
      })
      .toContain('Chưa ký được');
    await axe(leader, 'signing');
    await shoot(leader, '4-signing');
    // The demo phone page stands in for the leader's phone.
    const phone = await leader.context().newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto('/signing/phone');
    await phone.getByRole('button', { name: 'Xác nhận ký' }).first().click();
    await expect.poll(() => phone.getByText('Đã xác nhận.').count(), { timeout: 15_000 }).toBe(1);
    await axe(phone, 'signing-phone');
    await phone.screenshot({ path: join(SHOTS, '4-signing-phone-390.png'), fullPage: true });
    // The signing screen polls: the result leaves the approvals once signed.
    await expect
      .poll(() => leader.getByTestId('approvals').locator('tr', { hasText: dossier.code }).count(), {
        timeout: 45_000,
      })
      .toBe(0);
    await leader.goto(`/dossiers/${dossier.id}`);
    const done = leader.getByTestId('sign-panel');
    await expect.poll(() => done.getByText('Đã ký đủ').count(), { timeout: 30_000 }).toBe(1);
    expect(await done.getByTestId('verification').textContent()).toBe('Chữ ký hợp lệ');
    expect(await leader.getByTestId('timeline').textContent()).toContain('Ký số');
    await shoot(leader, '4-signing-dossier');
    // The API's verification report agrees: two valid signatures.
    const report = (await (await leader.request.get(`/api/dossiers/${dossier.id}/signatures`)).json()) as {
      documents: { verification: { valid: boolean; signatures: unknown[] } }[];
    };
    expect(report.documents[0]!.verification.valid).toBe(true);
    expect(report.documents[0]!.verification.signatures).toHaveLength(2);
  });
  it('reception desk: population look-up fills the applicant; an old address converted, the officer choosing; assisted online filing', async () => {
    const page = await signIn(`tiepnhan.${UNIT}`);
    // A demo applicant is a citizen of the population simulator (both from the same synthetic generator).
    const { items } = (await (
      await page.request.get(`/api/units/${UNIT}/dossiers?list=all&limit=1`)
    ).json()) as {
      items: { id: string }[];
    };
    const citizen = (await (await page.request.get(`/api/dossiers/${items[0]!.id}/applicant`)).json()) as {
      person: { fullName: string; personalId: string; dateOfBirth: string };
    };
    await page.getByLabel('Tìm thủ tục').fill('khai sinh');
    await page.getByRole('button', { name: /^Đăng ký khai sinh ·/ }).click();
    await page.getByLabel('Số định danh cá nhân (12 số)').fill(citizen.person.personalId);
    await page.getByRole('button', { name: 'Tra cứu CSDL dân cư theo số định danh' }).click();
    await expect.poll(() => page.getByLabel('Họ và tên *').inputValue()).toBe(citizen.person.fullName);
    expect(await page.getByLabel('Ngày sinh').inputValue()).toBe(citizen.person.dateOfBirth);
    expect(await page.getByTestId('address-new').textContent()).toContain('Xã Vân Sơn');
    // The look-up is in the audit log with its purpose and a masked number, never the number itself.
    const audit = await server.store.auditLog({ action: 'population.lookup', limit: 5 });
    expect(audit[0]?.detail).toMatchObject({
      purpose: 'Tiếp nhận hồ sơ: Đăng ký khai sinh',
      result: 'found',
    });
    expect(JSON.stringify(audit)).not.toContain(citizen.person.personalId);
    // An old address whose commune was split: the candidates, and the officer's choice.
    await page
      .getByLabel('Địa chỉ thường trú (cũ hoặc mới)')
      .fill('Thôn 1, xã Tân Lập, huyện Đan Phượng, Hà Nội');
    await page.getByRole('button', { name: 'Chuyển sang địa giới mới' }).click();
    const choices = page.getByTestId('address-candidates');
    await choices.waitFor();
    const radios = choices.getByRole('radio');
    expect(await radios.count()).toBeGreaterThan(1);
    await radios.nth(1).check();
    const chosen = (await choices.locator('label').nth(1).textContent())!.split(' (')[0]!.trim();
    expect(await page.getByTestId('address-new').textContent()).toContain(chosen);
    // Filed online by the officer for an elderly citizen.
    await page.getByLabel('Hình thức nhận').selectOption('online');
    await page.getByLabel('Cán bộ nộp hộ hồ sơ trực tuyến cho người dân không tự nộp được').check();
    await page.getByLabel('Lý do hỗ trợ').selectOption('elderly');
    await axe(page, 'reception-desk');
    await shoot(page, '1-reception-desk');
    await page.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn' }).click();
    await page.getByRole('heading', { name: /Đã tiếp nhận hồ sơ/ }).waitFor();
    const href = (await page.getByTestId('receipt-link').getAttribute('href'))!;
    const id = href.split('/')[3]!;
    const detail = (await (await page.request.get(`/api/dossiers/${id}`)).json()) as {
      dossier: { channel: string };
    };
    expect(detail.dossier.channel).toBe('online');
    const applicant = (await (await page.request.get(`/api/dossiers/${id}/applicant`)).json()) as {
      person: { address: { detail: string; communeCode: string } };
    };
    expect(applicant.person.address.detail).toBe('Thôn 1');
    expect(chosen).toContain(applicant.person.address.detail);
    expect((await server.store.dossierForm(id))?.form.assistance).toMatchObject({ reason: 'elderly' });
    expect((await server.store.auditLog({ dossierId: id, action: 'dossier.assisted' }))[0]?.detail).toEqual({
      reason: 'elderly',
    });
  });

  it('reception desk: the chip ID card QR read by the camera (ZXing loaded only then)', async () => {
    // A fake camera showing the card's QR code: a Y4M video Chromium plays as the webcam.
    const QRCode = (await import('qrcode')).default;
    // Mask 2: ZXing 0.21 misreads this version-6 code under masks 0, 3 and 7 (found while writing this test).
    const qr = QRCode.create(QR, { errorCorrectionLevel: 'M', maskPattern: 2 }).modules;
    const W = 640;
    const H = 480;
    const scale = Math.floor(400 / (qr.size + 8));
    const left = Math.floor((W - qr.size * scale) / 2);
    const top = Math.floor((H - qr.size * scale) / 2);
    const y = Buffer.alloc(W * H, 235);
    for (let r = 0; r < qr.size; r++)
      for (let c = 0; c < qr.size; c++)
        if (qr.get(r, c))
          for (let dy = 0; dy < scale; dy++)
            y.fill(
              16,
              (top + r * scale + dy) * W + left + c * scale,
              (top + r * scale + dy) * W + left + (c + 1) * scale,
            );
    const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
    const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
    // Four seconds of an empty view before the card shows (the video loops): a code read on the first frame
    // closed the camera before the test had seen it open (a CI run waited 30 s for a view already gone).
    const empty = Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc(W * H, 200), chroma]);
    const video = join(dataDir, 'card-qr.y4m');
    writeFileSync(
      video,
      Buffer.concat([
        Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`),
        ...Array<Buffer>(40).fill(empty),
        ...Array<Buffer>(10).fill(frame),
      ]),
    );
    const camBrowser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: [
        '--no-sandbox',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const context = await camBrowser.newContext({
        viewport: { width: 1366, height: 768 },
        baseURL: server.url,
        locale: 'vi-VN',
        permissions: ['camera'],
      });
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
      });
      await page.goto('/login');
      await page.getByLabel('Tên đăng nhập').fill(`tiepnhan.${UNIT}`);
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL((u) => u.pathname === '/reception');
      const before = scripts.length;
      await page.getByRole('button', { name: 'Quét QR căn cước bằng camera' }).click();
      await page.getByTestId('camera-scan').waitFor();
      await page.screenshot({ path: join(SHOTS, '1-reception-camera-1366.png') });
      await axe(page, 'reception-camera');
      await expect
        .poll(() => page.getByLabel('Họ và tên *').inputValue(), { timeout: 30_000 })
        .toBe('Nguyễn Văn A');
      expect(await page.getByLabel('Số định danh cá nhân (12 số)').inputValue()).toBe('001090000001');
      // The camera closed itself; the scanner code came as its own chunks, after the page had loaded.
      expect(await page.getByTestId('camera-scan').count()).toBe(0);
      expect(scripts.slice(before).some((s) => /CameraScan-/.test(s))).toBe(true);
      // The card's (old-format) address went to the converter.
      await expect
        .poll(() => page.getByLabel('Địa chỉ thường trú (cũ hoặc mới)').inputValue())
        .toContain('Ba Đình');
    } finally {
      await camBrowser.close();
    }
  });

  it('unit admin: fee accounts — the treasury set-up with its readiness, errors by the field, a collection the treasury rejects, then credited', async () => {
    const admin = await signIn(`quantri.${UNIT}`);
    await admin.getByRole('link', { name: 'Quản trị đơn vị' }).click();
    const panel = admin.getByTestId('fee-accounts');
    await panel.getByTestId('fee-readiness').waitFor();
    // Vân Sơn has no account of its own: the province's designated one, said so.
    expect(await panel.getByTestId('fee-designated').textContent()).toContain(
      '1769 / 3511.0.9000025 · Sở Tài chính tỉnh Phú Thọ',
    );
    expect(await panel.getByTestId('fee-accounts-channel').textContent()).toContain(
      'Đã kết nối Kho bạc Nhà nước',
    );
    expect(await panel.getByTestId('fee-readiness').textContent()).toContain('tài khoản tỉnh chỉ định');
    // A chapter of two digits is refused, by the field.
    const chapter = panel.getByLabel('Chương ngân sách');
    expect(await chapter.inputValue()).toBe('805');
    await chapter.fill('80');
    await panel.getByRole('button', { name: 'Lưu tài khoản thu' }).click();
    await expect.poll(() => chapter.getAttribute('aria-invalid')).toBe('true');
    expect(await panel.getByText('chương gồm 3 chữ số').count()).toBe(1);
    // An account of the commune's own, one the treasury does not know.
    await chapter.fill('805');
    await panel.getByLabel('Đơn vị có tài khoản kho bạc riêng').check();
    await panel.getByLabel('Mã Kho bạc (SHKB)').fill('0999');
    await panel.getByLabel('Số tài khoản').fill('3511.9.0000001');
    await panel.getByLabel('Chủ tài khoản').fill('UBND xã Vân Sơn');
    await panel.getByRole('button', { name: 'Lưu tài khoản thu' }).click();
    await expect.poll(() => panel.getByRole('status').filter({ hasText: 'Đã lưu.' }).count()).toBe(1);
    expect(await chapter.getAttribute('aria-invalid')).toBe('false');
    const saved = (await (await admin.request.get(`/api/units/${UNIT}/treasury`)).json()) as {
      usesDesignatedAccount: boolean;
      account: { treasuryCode: string; accountNumber: string; holder: string } | null;
    };
    expect(saved).toMatchObject({
      usesDesignatedAccount: false,
      account: { treasuryCode: '0999', accountNumber: '3511.9.0000001', holder: 'UBND xã Vân Sơn' },
    });
    // A certified copy collected at the counter now: the treasury rejects the unknown account; it waits, listed.
    const csrf = ((await (await admin.request.get('/api/me')).json()) as { csrfToken: string }).csrfToken;
    const made = await admin.request.post(`/api/units/${UNIT}/dossiers`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        procedureCode: '2.000815',
        applicant: { kind: 'person', person: { fullName: 'Lê Văn Phí' } },
        form: { fee: { documents: [{ pages: 3, copies: 1 }] } },
      },
    });
    expect(made.status()).toBe(201);
    const dossier = ((await made.json()) as { dossier: { id: string; code: string } }).dossier;
    const paid = await admin.request.post(`/api/dossiers/${dossier.id}/fee/counter`, {
      headers: { 'x-csrf-token': csrf },
      data: { amount: 5000 },
    });
    expect(paid.status()).toBe(201);
    const paymentId = ((await paid.json()) as { payment: { id: string } }).payment.id;
    type Open = { payments: { id: string; treasuryStatus: string | null }[] };
    const statusOf = async () =>
      (
        (await (await admin.request.get(`/api/units/${UNIT}/treasury/unremitted`)).json()) as Open
      ).payments.find((p) => p.id === paymentId)?.treasuryStatus;
    await expect.poll(statusOf, { timeout: 30_000 }).toBe('rejected');
    await admin.reload();
    const row = panel.locator(`tr[data-payment="${paymentId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Bị từ chối: Kho bạc không nhận tài khoản thu này');
    expect(await row.textContent()).toContain(dossier.code);
    expect(await panel.getByLabel('Mã Kho bạc (SHKB)').inputValue()).toBe('0999');
    await admin.setViewportSize({ width: 1366, height: 768 });
    await panel.screenshot({ path: join(SHOTS, '8-unit-admin-fees-1366.png') });
    await admin.setViewportSize({ width: 390, height: 844 });
    await panel.screenshot({ path: join(SHOTS, '8-unit-admin-fees-390.png') });
    await admin.setViewportSize({ width: 1366, height: 768 });
    await axe(admin, 'unit-admin-fees');
    // Back to the province's account: the rejected collection goes again, the treasury credits it, and the
    // dossier's fee panel says it reached the budget with the treasury's reference.
    await panel.getByLabel('Đơn vị có tài khoản kho bạc riêng').uncheck();
    await panel.getByRole('button', { name: 'Lưu tài khoản thu' }).click();
    await expect
      .poll(() => panel.getByRole('status').textContent())
      .toMatch(/Đã lưu\. Đã gửi lại \d+ khoản thu đang chờ sang Kho bạc\./);
    await expect.poll(statusOf, { timeout: 30_000 }).toBeUndefined();
    await admin.goto(`/dossiers/${dossier.id}`);
    await expect
      .poll(() =>
        admin
          .getByTestId('fee-panel')
          .getByTestId('fee-remitted')
          .textContent()
          .catch(() => ''),
      )
      .toMatch(/^Đã nộp vào ngân sách qua Kho bạc Nhà nước \(số chứng từ KB[0-9A-F]{12}\) lúc /);
  });
});
