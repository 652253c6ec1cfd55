/**
 * Starts the whole product for an end-to-end run — `emulator/lightning/start.ts` on its own ports with
 * a throw-away state folder (a fresh demo org) — and gives the tests typed access to the preview
 * server, the simulator's admin endpoints, the package's labels, screenshots and axe scans.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../scripts/lib/files.ts';
import { readLabels } from '../emulator/lightning/metadata.ts';

export const PREVIEW_PORT = Number(process.env.E2E_PREVIEW_PORT ?? 4737);
export const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? 4738);
export const APP = `http://127.0.0.1:${PREVIEW_PORT}`;
export const SIM = `http://127.0.0.1:${SIM_PORT}`;
export const RESULTS = join(ROOT, 'test-results/e2e');
const STARTUP_TIMEOUT_MS = 10 * 60_000;

const labels = readLabels();
/** A custom label's value, as the UI shows it; fails loudly for a label that does not exist. */
export function label(name: string): string {
    const value = labels.get(name);
    if (value === undefined) throw new Error(`custom label ${name} does not exist`);
    return value;
}

export interface Product {
    stop(): Promise<void>;
    output(): string;
}

/** Starts `npm start`'s program; with `stateDir` it uses (and keeps) that state, else a throw-away one. */
export async function startProduct(stateDir?: string): Promise<Product> {
    const keep = stateDir !== undefined;
    const dir = stateDir ?? mkdtempSync(join(tmpdir(), 'tp-e2e-state-'));
    const child: ChildProcess = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'emulator/lightning/start.ts')],
        {
            cwd: ROOT,
            env: {
                ...process.env,
                PREVIEW_PORT: String(PREVIEW_PORT),
                TRUSTPILOT_SIM_PORT: String(SIM_PORT),
                PREVIEW_STATE_DIR: dir
            },
            stdio: ['ignore', 'pipe', 'pipe']
        }
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`product not ready after ${STARTUP_TIMEOUT_MS / 1000} s:\n${out}`)),
            STARTUP_TIMEOUT_MS
        );
        const check = setInterval(() => {
            if (out.includes('Press Ctrl-C to stop.')) {
                clearInterval(check);
                clearTimeout(timer);
                resolve();
            }
        }, 200);
        child.once('exit', (code) => {
            clearInterval(check);
            clearTimeout(timer);
            reject(new Error(`npm start exited with ${String(code)}:\n${out}`));
        });
    });
    if (out.includes('WARNING: The local Apex runtime cannot run the package')) {
        child.kill('SIGINT');
        throw new Error(`the product started without its runtime:\n${out}`);
    }
    return {
        output: () => out,
        stop: async () => {
            if (child.exitCode === null) {
                await new Promise<void>((resolve) => {
                    child.once('exit', () => resolve());
                    child.kill('SIGINT');
                });
            }
            if (!keep) rmSync(dir, { recursive: true, force: true });
        }
    };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
    const res = await fetch(url, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
}

/** The simulator's admin API. */
export const sim = {
    get: <T>(path: string) => json<T>(`${SIM}${path}`),
    post: <T>(path: string, body: unknown) =>
        json<T>(`${SIM}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body)
        })
};

/** The preview server's own endpoints (the same ones the browser uses). */
export function preview<T>(path: string, body: unknown = {}): Promise<T> {
    return json<T>(`${APP}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
    });
}

/** Runs the org's due async work (queueables, schedules), optionally after moving its clock. */
export function runJobs(advanceMs = 0): Promise<{ now: string; jobsRun: number }> {
    return preview('/api/preview/clock', { advanceMs });
}

export interface AxeViolation {
    id: string;
    impact: string | null;
    help: string;
    nodes: { target: string[] }[];
}

/** Saves a screenshot and runs axe-core on the page; returns serious and critical violations. */
export async function checkScreen(page: Page, name: string): Promise<AxeViolation[]> {
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
    await page.addScriptTag({
        content: readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')
    });
    const violations = await page.evaluate(async () => {
        const axe = (
            window as unknown as {
                axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> };
            }
        ).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target }))
        }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Polls `probe` until it returns a value (not undefined), or fails with the last state. */
export async function eventually<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 60_000,
    everyMs = 500
): Promise<T> {
    const until = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < until) {
        try {
            const v = await probe();
            if (v !== undefined) return v;
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
