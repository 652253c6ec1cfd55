/**
 * Benchmark of the local product (prints figures; not a test). In one run:
 *  1. preview build time (`npm run build` excluded: the rollup bundle of every LWC, base components, SLDS);
 *  2. time from starting `npm start` (fresh demo org) to the first Home render in headless Chromium;
 *  3. Home server time (HomeController.getHomeData) and Invitation Status page time (server call and
 *     time until the table shows rows in the browser), in the empty demo org and again with 100,000
 *     invitations inserted through the runtime — with the ratio between them.
 *
 *   npx tsx bench/preview.ts            (BENCH_INVITATIONS=20000 for a shorter run)
 */
process.env.E2E_PREVIEW_PORT ??= '4747';
process.env.E2E_SIM_PORT ??= '4748';

const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { buildPreview } = await import('../emulator/lightning/build.ts');
const { openOrg } = await import('../emulator/lightning/org.ts');
const { loadProjectSchema } = await import('../emulator/apex/data/schema.ts');
const { launch } = await import('../e2e/browser.ts');
const { APP, preview, startProduct } = await import('../e2e/harness.ts');

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

const build = await buildPreview();
console.log(`preview build (rollup, ${build.components.length} components): ${build.seconds.toFixed(1)} s`);

const stateDir = mkdtempSync(join(tmpdir(), 'tp-bench-state-'));
const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());

/** Time from navigation until the Invitation Status table (or its empty state) has rendered. */
async function pageTime(): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
        const t = performance.now();
        await page.goto(`${APP}/#/n/Trustpilot_Invitation_Status`);
        await page.locator('c-invitation-status').first().waitFor();
        await page.waitForFunction(() => !document.body.innerText.includes('Loading'), undefined, {
            timeout: 120_000
        });
        await page
            .locator('c-invitation-status lightning-spinner')
            .waitFor({ state: 'detached', timeout: 120_000 });
        times.push(performance.now() - t);
    }
    return median(times);
}

const statusParams = { requestJson: JSON.stringify({ pageSize: 50 }) };
let empty: { home: number; status: number; page: number };
let full: { home: number; status: number; page: number };
try {
    const startedAt = performance.now();
    let product = await startProduct(stateDir);
    await page.goto(`${APP}/#/n/Trustpilot_Home`);
    await page.locator('c-trustpilot-home lightning-card').first().waitFor();
    await page.locator('c-trustpilot-home lightning-spinner').waitFor({ state: 'detached' });
    console.log(
        `npm start (fresh demo org) to first Home render: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`
    );
    empty = {
        home: await timeServer('HomeController', 'getHomeData', {}),
        status: await timeServer('InvitationStatusController', 'getInvitations', statusParams),
        page: await pageTime()
    };
    console.log(
        `empty org: Home ${ms(empty.home)}, Invitation Status server ${ms(empty.status)}, page ${ms(empty.page)}`
    );
    await product.stop();

    const t = performance.now();
    await addInvitations(join(stateDir, 'org.json'), INVITATIONS);
    console.log(
        `${INVITATIONS.toLocaleString('en-US')} invitations inserted through the runtime in ${((performance.now() - t) / 1000).toFixed(1)} s`
    );

    product = await startProduct(stateDir);
    full = {
        home: await timeServer('HomeController', 'getHomeData', {}),
        status: await timeServer('InvitationStatusController', 'getInvitations', statusParams),
        page: await pageTime().catch((e: Error) => {
            console.log(`  Invitation Status page failed: ${e.message.slice(0, 300)}`);
            return NaN;
        })
    };
    await product.stop();
} finally {
    await browser.close();
}

console.log(
    `\n(median of ${REPEAT})                          empty org   ${INVITATIONS.toLocaleString('en-US')} invitations   ratio`
);
const row = (name: string, a: number, b: number) =>
    console.log(`${name.padEnd(42)} ${ms(a).padStart(9)}   ${ms(b).padStart(18)}   ${(b / a).toFixed(1)}x`);
row('Home server time (getHomeData)', empty.home, full.home);
row('Invitation Status server (getInvitations)', empty.status, full.status);
row('Invitation Status page (navigate→table)', empty.page, full.page);
rmSync(stateDir, { recursive: true, force: true });

/** Opens the saved demo org in this process and inserts invitations, CHUNK rows per transaction. */
async function addInvitations(stateFile: string, count: number): Promise<void> {
    const schema = loadProjectSchema();
    const org = await openOrg({ namedCredentialUrls: {}, stateFile }, schema);
    for (let done = 0; done < count; done += CHUNK) {
        const n = Math.min(CHUNK, count - done);
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
