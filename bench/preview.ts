/**
 * Benchmark of the local product (prints figures; not a test). In one run:
 *  0. a new user's first start: `git clone` of this repository's HEAD into a temporary folder, `npm ci`
 *     there (which runs the `prepare` build), then `npm start` until it prints the URL and until Home and
 *     Demo records have rendered in headless Chromium (a fresh TMPDIR, so tsx's transform cache is cold;
 *     npm's download cache is the machine's). BENCH_FRESH_CLONE=0 skips it;
 *  1. preview build time (`npm run build` excluded: the rollup bundle of every LWC, base components, SLDS);
 *  2. time from starting `npm start` (fresh demo org, preview built) to the first Home render;
 *  3. Home server time (HomeController.getHomeData) and Invitation Status times (server call, and in the
 *     browser from leaving Home until the table shows its rows) in the empty demo org, with one table page
 *     (50 invitations: what the datatable itself costs) and with 100,000 invitations inserted through the
 *     runtime — with the ratios between them.
 *
 *   npx tsx bench/preview.ts            (BENCH_INVITATIONS=20000 for a shorter run)
 */
process.env.E2E_PREVIEW_PORT ??= '4747';
process.env.E2E_SIM_PORT ??= '4748';

const { spawn, spawnSync } = await import('node:child_process');
const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { ROOT } = await import('../scripts/lib/files.ts');
const { buildPreview } = await import('../emulator/lightning/build.ts');
const { openOrg } = await import('../emulator/lightning/org.ts');
const { loadProjectSchema } = await import('../emulator/apex/data/schema.ts');
const { launch } = await import('../e2e/browser.ts');
const { APP, PREVIEW_PORT, SIM_PORT, preview, startProduct } = await import('../e2e/harness.ts');

const INVITATIONS = Number(process.env.BENCH_INVITATIONS ?? 100_000);
const CHUNK = 10_000; // DML rows per transaction (governor limit)
const REPEAT = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Median server time of an @AuraEnabled call, or the platform error it ends with (a finding, printed). */
async function timeServer(
    classname: string,
    method: string,
    params: Record<string, unknown>
): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
        const t = performance.now();
        try {
            await preview('/api/apex', { classname, method, params });
        } catch (e) {
            console.log(`  ${classname}.${method} failed: ${(e as Error).message.slice(0, 300)}`);
            return NaN;
        }
        times.push(performance.now() - t);
    }
    return median(times);
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());

/** Home has rendered what the server answered (counters, the not-connected notice or an error). */
async function homeRendered(): Promise<string> {
    const shown = page.locator(
        'c-trustpilot-home .kpis, c-trustpilot-home .not-connected, c-trustpilot-home .error'
    );
    await shown.first().waitFor({ timeout: 120_000 });
    return (await shown.first().innerText()).replace(/\s+/g, ' ').slice(0, 80);
}

/** Runs a command to completion; its output is printed only when it fails. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
    const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${output}`);
    return output;
}

/** Phase 0: clone, `npm ci`, `npm start` → URL → Home → Demo records, as a new user would. */
async function freshClone(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'tp-bench-clone-'));
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        TMPDIR: mkdtempSync(join(tmpdir(), 'tp-bench-tmp-')),
        PREVIEW_PORT: String(PREVIEW_PORT),
        TRUSTPILOT_SIM_PORT: String(SIM_PORT),
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_TELEMETRY: 'true'
    };
    for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
    try {
        run('git', ['clone', '--quiet', ROOT, dir], tmpdir(), env);
        const commit = run('git', ['rev-parse', '--short', 'HEAD'], dir, env).trim();
        let t = performance.now();
        const install = run('npm', ['ci', '--no-audit', '--no-fund'], dir, env);
        const built = /preview built in [\d.]+ s/.exec(install)?.[0] ?? 'preview not built by prepare';
        const warmed = /parse cache filled in [\d.]+ s/.exec(install)?.[0] ?? 'Apex cache not filled';
        console.log(`fresh clone of ${commit}: npm ci ${seconds(t)} (prepare: ${built}; Apex ${warmed})`);

        t = performance.now();
        // Its own process group, so Ctrl-C reaches npm and the product it started.
        const child = spawn('npm', ['start'], {
            cwd: dir,
            env,
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
        child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
        try {
            await new Promise<void>((resolve, reject) => {
                const check = setInterval(() => {
                    if (out.includes('Press Ctrl-C to stop.')) {
                        clearInterval(check);
                        resolve();
                    }
                }, 100);
                child.once('exit', (code) => {
                    clearInterval(check);
                    reject(new Error(`npm start exited with ${String(code)}:\n${out}`));
                });
            });
            const urlAfter = seconds(t);
            await page.goto(`${APP}/#/n/Trustpilot_Home`);
            const home = await homeRendered();
            const homeAfter = seconds(t);
            await page.goto(`${APP}/#/demo`);
            await page.locator('tr[data-id]').first().waitFor({ timeout: 120_000 });
            const rows = await page.locator('tr[data-id]').count();
            console.log(
                `fresh clone: npm start printed the URL after ${urlAfter}, Home rendered after ${homeAfter} ("${home}"), ` +
                    `Demo records (${rows} rows) after ${seconds(t)}`
            );
            console.log(
                `  npm start said: ${/^Preview .*$|^Building the Lightning preview.*$/m.exec(out)?.[0] ?? '?'}`
            );
        } finally {
            if (child.exitCode === null && child.pid !== undefined) {
                const exited = new Promise((resolve) => child.once('exit', resolve));
                process.kill(-child.pid, 'SIGINT');
                await exited;
            }
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(env.TMPDIR ?? '', { recursive: true, force: true });
    }
}

const stateDir = mkdtempSync(join(tmpdir(), 'tp-bench-state-'));

/** Time from leaving Home until the Invitation Status table (or its empty state) shows. */
async function pageTime(): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
        await page.goto(`${APP}/#/n/Trustpilot_Home`);
        await homeRendered();
        const t = performance.now();
        await page.goto(`${APP}/#/n/Trustpilot_Invitation_Status`);
        // The empty-state text, or the row count under the table (rendered with the table's rows).
        await page
            .locator('c-invitation-status p.empty, c-invitation-status p.shown')
            .first()
            .waitFor({ timeout: 120_000 });
        times.push(performance.now() - t);
    }
    return median(times);
}

const statusParams = { requestJson: JSON.stringify({ pageSize: 50 }) };
/** Org sizes measured: empty, one table page (the datatable's own rendering cost), then the full count. */
const SIZES = [0, 50, INVITATIONS];
type Figures = { home: number; status: number; page: number };
const figures: Figures[] = [];
try {
    if (process.env.BENCH_FRESH_CLONE !== '0') await freshClone();
    const build = await buildPreview();
    console.log(
        `preview build (rollup, ${build.components.length} components): ${build.seconds.toFixed(1)} s`
    );

    const startedAt = performance.now();
    let product = await startProduct(stateDir);
    const said = /^Preview .*$|^Building the Lightning preview.*$/m.exec(product.output())?.[0] ?? '?';
    await page.goto(`${APP}/#/n/Trustpilot_Home`);
    await homeRendered();
    console.log(`npm start (fresh demo org) to first Home render: ${seconds(startedAt)} ("${said}")`);
    for (const [i, size] of SIZES.entries()) {
        if (i > 0) {
            await product.stop();
            const t = performance.now();
            await addInvitations(join(stateDir, 'org.json'), SIZES[i - 1] ?? 0, size);
            console.log(
                `${size.toLocaleString('en-US')} invitations in the org (inserted through the runtime in ${seconds(t)})`
            );
            product = await startProduct(stateDir);
        }
        const f: Figures = {
            home: await timeServer('HomeController', 'getHomeData', {}),
            status: await timeServer('InvitationStatusController', 'getInvitations', statusParams),
            page: await pageTime().catch((e: Error) => {
                console.log(`  Invitation Status page failed: ${e.message.slice(0, 300)}`);
                return NaN;
            })
        };
        figures.push(f);
        console.log(
            `${size.toLocaleString('en-US')} invitations: Home ${ms(f.home)}, Invitation Status server ${ms(f.status)}, page ${ms(f.page)}`
        );
    }
    await product.stop();
} finally {
    await browser.close();
}

const [empty, onePage, full] = figures as [Figures, Figures, Figures];
const count = INVITATIONS.toLocaleString('en-US');
console.log(
    `\n(median of ${REPEAT})                          empty org     50 rows   ${count} invitations   ratio to empty   to 50`
);
const row = (name: string, key: keyof Figures) =>
    console.log(
        `${name.padEnd(42)} ${ms(empty[key]).padStart(9)} ${ms(onePage[key]).padStart(11)}   ${ms(full[key]).padStart(18)}   ` +
            `${(full[key] / empty[key]).toFixed(1).padStart(13)}x   ${(full[key] / onePage[key]).toFixed(1)}x`
    );
row('Home server time (getHomeData)', 'home');
row('Invitation Status server (getInvitations)', 'status');
row('Invitation Status page (Home→table rows)', 'page');
rmSync(stateDir, { recursive: true, force: true });

/** Opens the saved demo org in this process and inserts invitations `from`..`to`-1, CHUNK rows per transaction. */
async function addInvitations(stateFile: string, from: number, to: number): Promise<void> {
    const schema = loadProjectSchema();
    const org = await openOrg({ namedCredentialUrls: {}, stateFile }, schema);
    for (let done = from; done < to; done += CHUNK) {
        const n = Math.min(CHUNK, to - done);
        await org.runAnonymous(
            [
                'List<Invitation__c> rows = new List<Invitation__c>();',
                `for (Integer i = ${done}; i < ${done + n}; i++) {`,
                "    String status = Math.mod(i, 3) == 0 ? 'Pending' : (Math.mod(i, 3) == 1 ? 'Sent' : 'Failed');",
                "    rows.add(new Invitation__c(Source_Object__c = 'Opportunity', Recipient_Name__c = 'Bench ' + i,",
                "        Recipient_Email__c = 'bench' + i + '@example.com', Type__c = 'Service', Delivery__c = 'Email invitation',",
                "        Status__c = status, Reference_Number__c = 'BENCH-' + i, Idempotency_Key__c = 'bench:' + i));",
                '}',
                'insert rows;'
            ].join('\n')
        );
    }
    org.save(stateFile);
}
