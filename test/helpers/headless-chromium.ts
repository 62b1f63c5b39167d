import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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
