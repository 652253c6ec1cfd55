/**
 * Headless Chromium for the end-to-end tests and the benchmark: Debian's /usr/bin/chromium driven by
 * playwright-core (never a browser playwright downloads), a fresh profile per launch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Launched {
    context: BrowserContext;
    close(): Promise<void>;
}

export async function launch(): Promise<Launched> {
    const profile = mkdtempSync(join(tmpdir(), 'tp-e2e-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1366, height: 900 },
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync'
        ]
    });
    return {
        context,
        close: async () => {
            await context.close();
            rmSync(profile, { recursive: true, force: true });
        }
    };
}
