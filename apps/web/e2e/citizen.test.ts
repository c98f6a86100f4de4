import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium } from 'playwright';
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

describe.skipIf(!CHROMIUM || !existsSync(join(here, '..', 'dist', 'client', 'index.html')))(
  'a citizen in Chromium: my dossiers through the (simulated) e-ID',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let dataDir: string;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-citizen-'));
      server = await startServer({
        port: 0,
        dataDir,
        demo: true,
        demoDossiers: 60,
        worker: false,
        loginRatePerMinute: 1000,
        env: {},
        log: { info() {}, warn() {}, error() {} },
      });
      browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('from the status page to the provider’s page and back to the citizen’s own dossiers; sign-out', async () => {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        baseURL: server.url,
        locale: 'vi-VN',
      });
      const page = await context.newPage();
      await page.goto('/status');
      await page
        .getByRole('link', { name: 'Có tài khoản định danh điện tử? Xem tất cả hồ sơ của tôi' })
        .click();
      await page.waitForURL((u) => u.pathname === '/my-dossiers');
      await expect.poll(() => page.getByTestId('citizen-sign-in').count()).toBe(1);
      const a = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(a.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      await page.getByTestId('citizen-sign-in').click();
      // The simulated e-ID's page, on its own origin.
      const sim = server.citizenSignIn!;
      await page.waitForURL((u) => u.origin === sim.issuer);
      const citizen = sim.citizens[0]!;
      await page.getByRole('link', { name: citizen.fullName }).click();
      await page.waitForURL((u) => u.origin === server.url && u.pathname === '/my-dossiers');
      await expect.poll(() => page.getByTestId('citizen-dossier').count()).toBeGreaterThan(0);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain(citizen.fullName);
      expect(text).not.toContain(citizen.personalId);
      const b = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(b.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      await page.screenshot({ path: join(SHOTS, 'my-dossiers-390.png'), fullPage: true });
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await expect.poll(() => page.getByTestId('citizen-sign-in').count()).toBe(1);
      // The staff pages do not open for a citizen.
      await page.goto('/work');
      await page.waitForURL((u) => u.pathname === '/login');
      await context.close();
    });
  },
);
