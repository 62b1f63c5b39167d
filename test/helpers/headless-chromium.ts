import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package; `.ci/run` installs it when missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface HeadlessChromium {
  context: BrowserContext;
  close: () => Promise<void>;
}

/**
 * The system's Chromium, headless, with a fresh profile and nothing that reaches the network by itself
 * (no sync, updates, QUIC or background fetches): the pages under test are the only traffic.
 */
export async function startHeadlessChromium(): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`These tests need Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (.ci/run does).`);
  const profile = mkdtempSync(join(tmpdir(), 'nachos-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot of what `page` shows at desktop and phone width, as `<path>-desktop.png` and `<path>-phone.png`. */
export async function saveScreenshots(page: Page, path: string): Promise<void> {
  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 860 }],
    ['phone', { width: 360, height: 760 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${path}-${device}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 860 });
}
