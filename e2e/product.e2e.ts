/**
 * End to end, in headless Chromium: the package's real LWCs in the Lightning preview, its real Apex in
 * the local runtime, Trustpilot simulated. Steps share one fresh demo org and run in order, as a user
 * would: connect, import, invite (Opportunity, Order, Case), links, replies, retries, safety, a11y.
 * Screenshots: test-results/e2e/. Run with `npm run test:e2e`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_BUSINESS_USER_ID, DEMO_DOMAIN } from '../emulator/trustpilot/seed.ts';
import { DEMO_API_KEY, DEMO_API_SECRET, DEMO_BGL_KEYS } from '../emulator/trustpilot/server.ts';
import { launch, type Launched } from './browser.ts';
import {
    APP,
    checkScreen,
    eventually,
    label,
    preview,
    RESULTS,
    runJobs,
    sim,
    startProduct,
    type Product
} from './harness.ts';

interface SimInvitation {
    status: string;
    body: {
        consumerEmail: string;
        referenceNumber: string;
        productReviewInvitation?: { productSkus?: string[]; products?: { sku: string }[] };
    };
}
interface SimRequest {
    route: string;
    status: number;
}
interface DemoRecords {
    sections: { object: string; records: { id: string; name: string; value: string }[] }[];
}
interface ListView {
    rows: { id: string; values: string[] }[];
    columns: { fieldName: string }[];
}

let product: Product;
/** The org's state folder, kept across the restart step. */
const stateDir = mkdtempSync(join(tmpdir(), 'tp-e2e-state-'));
let browser: Launched;
let page: Page;
const dialogs: string[] = [];

async function open(hash: string): Promise<void> {
    const url = `${APP}/${hash}`;
    // The same hash again would not reload the page: reload so every step starts from a fresh render.
    if (page.url() === url) await page.reload();
    else await page.goto(url);
    await page.waitForLoadState('networkidle');
}

async function assertAccessible(name: string): Promise<void> {
    const serious = await checkScreen(page, name);
    assert.deepEqual(
        serious.map(
            (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
        ),
        [],
        `${name}: axe reports no serious or critical violations`
    );
}

async function invitations(): Promise<SimInvitation[]> {
    return (await sim.get<{ invitations: SimInvitation[] }>('/_admin/invitations')).invitations;
}

async function demoRecord(object: string, index = 0) {
    const data = await preview<DemoRecords>('/api/preview/demoRecords');
    const record = data.sections.find((s) => s.object === object)?.records[index];
    assert.ok(record, `demo org has ${object} #${index}`);
    return record;
}

/** Rethrows a failure with the org's invitations (status, reason) as the Invitation Status page shows them. */
async function withOrgInvitations(e: Error): Promise<never> {
    await open('#/n/Trustpilot_Invitation_Status');
    const table = (await page.locator('table').allInnerTexts()).join('\n').replace(/\s+/g, ' ');
    throw new Error(`${e.message}; Invitation Status shows: ${table}`);
}

/** Chooses a value in the demo records table and saves: a user's edit, saved through the runtime. */
async function setStage(recordId: string, value: string): Promise<void> {
    await open('#/demo');
    const row = page.locator(`tr[data-id="${recordId}"]`);
    await choose(row.locator('lightning-combobox'), value);
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/saved/).first().waitFor();
}

/** Opens a Settings tab (help-text bubbles may overlap the tab bar, so the click is not hit-tested). */
async function settingsTab(name: string): Promise<void> {
    await open('#/n/Trustpilot_Settings');
    await page.getByRole('tab', { name }).dispatchEvent('click');
}

/** Picks an option of a lightning-combobox. */
async function choose(combobox: ReturnType<Page['locator']>, option: string): Promise<void> {
    await combobox.locator('button, input').first().click({ force: true });
    await combobox.getByRole('option', { name: option, exact: true }).click();
}

/** Enables the invitation rule of one object with the given trigger value, recipient and delivery. */
async function enableRule(
    object: 'opportunity' | 'order' | 'case',
    tab: string,
    trigger: string,
    recipient: string,
    delivery?: string,
    type?: string
): Promise<void> {
    await settingsTab(tab);
    const panel = page.locator(`c-tp-invitation-rule.rule-${object}`);
    const toggle = panel.getByLabel(label('TP_Rule_Enable'));
    await toggle.waitFor({ state: 'attached' });
    if (!(await toggle.isChecked())) await toggle.check({ force: true });
    await choose(panel.locator('lightning-combobox.trigger'), trigger);
    await choose(panel.locator('lightning-combobox.recipient'), recipient);
    if (type) await choose(panel.locator('lightning-combobox.type'), type);
    if (delivery) {
        // The radio input itself is visually hidden by SLDS; a user clicks its label.
        await panel.locator('label', { hasText: delivery }).first().click();
        assert.ok(await panel.getByLabel(delivery, { exact: true }).isChecked(), `${delivery} is chosen`);
    }
    await panel.getByRole('button', { name: label('TP_Common_Save_Changes') }).click();
    await page.getByText(label('TP_Rule_Saved')).first().waitFor();
}

/**
 * A step of the suite: on failure the page is saved as `failed-<step>.png` beside the screenshots, so a
 * CI failure shows what the user would have seen.
 */
function step(name: string, body: () => Promise<void>): void {
    it(name, async () => {
        try {
            await body();
        } catch (e) {
            const file = `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
            mkdirSync(RESULTS, { recursive: true });
            await page.screenshot({ path: join(RESULTS, file), fullPage: true }).catch(() => undefined);
            throw e;
        }
    });
}

before(async () => {
    product = await startProduct(stateDir);
    browser = await launch();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
    });
});

after(async () => {
    await browser?.close();
    await product?.stop();
    rmSync(stateDir, { recursive: true, force: true });
});

describe('the product, end to end', () => {
    step('shows every screen, accessible, before connecting', async () => {
        for (const [hash, name] of [
            ['#/n/Trustpilot_Home', 'home-empty'],
            ['#/o/Review__c/list', 'reviews-empty'],
            ['#/n/Trustpilot_Invitation_Status', 'invitation-status-empty'],
            ['#/n/Trustpilot_Settings', 'settings'],
            ['#/demo', 'demo-records']
        ]) {
            await open(hash);
            await assertAccessible(name);
        }
    });

    step(
        'connects with the API key and secret entered in Settings (OAuth against the simulator)',
        async () => {
            await sim.post('/_admin/faults', []);
            await open('#/n/Trustpilot_Settings');
            await page.getByLabel(label('TP_Settings_Api_Key')).fill(DEMO_API_KEY);
            await page.getByLabel(label('TP_Settings_Api_Secret')).fill(DEMO_API_SECRET);
            await page.getByLabel(label('TP_Settings_Domain')).fill(DEMO_DOMAIN);
            await page.getByLabel(label('TP_Settings_Business_User_Id')).fill(DEMO_BUSINESS_USER_ID);
            await page.getByRole('button', { name: label('TP_Settings_Connect') }).click();
            await page.getByText('Northwind Outfitters').first().waitFor({ timeout: 30_000 });
            const log = (await sim.get<{ requests: SimRequest[] }>('/_admin/requests')).requests;
            assert.ok(
                log.some((r) => r.route === 'businessUnits.find' && r.status === 200),
                'the business unit was found by domain'
            );
            await assertAccessible('settings-connected');
        }
    );

    step('imports reviews and Home shows the simulator’s counts', async () => {
        await settingsTab(label('TP_Settings_Tab_Import'));
        await page.getByRole('button', { name: label('TP_Import_Button') }).click();
        const stats = await sim.get<{
            serviceReviews: number;
            productReviews: number;
            serviceReviewsAwaitingReply: number;
        }>('/_admin/stats?days=30');
        await eventually(
            'the import to finish',
            async () => {
                await runJobs();
                const home = await preview<{
                    returnValue: { newServiceReviews: number; newProductReviews: number };
                }>('/api/apex', {
                    classname: 'HomeController',
                    method: 'getHomeData',
                    params: {}
                });
                const r = home.returnValue;
                return r.newServiceReviews === stats.serviceReviews &&
                    r.newProductReviews === stats.productReviews
                    ? true
                    : undefined;
            },
            180_000,
            1_000
        );
        const log = (await sim.get<{ requests: SimRequest[] }>('/_admin/requests?route=token')).requests;
        assert.ok(
            log.some((r) => r.status === 200),
            'the OAuth client-credentials exchange was done against the simulator'
        );
        await open('#/n/Trustpilot_Home');
        await page.locator('.kpi-value').first().waitFor();
        const kpi = async (key: string) =>
            (await page.locator(`.kpi-value[data-key="${key}"]`).innerText()).trim();
        const keys = await page
            .locator('.kpi-value')
            .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key ?? ''));
        const shown = await Promise.all(keys.map(kpi));
        assert.ok(
            shown.includes(String(stats.serviceReviews)),
            `Home shows ${stats.serviceReviews} new service reviews (shown: ${shown.join(', ')})`
        );
        assert.ok(
            shown.includes(String(stats.productReviews)),
            `Home shows ${stats.productReviews} new product reviews (shown: ${shown.join(', ')})`
        );
        await assertAccessible('home');
    });

    step('shows a review whose text is markup as text, never as markup', async () => {
        const reviews = await preview<ListView>('/api/preview/listView', {
            objectApiName: 'Review__c',
            listView: 'All'
        });
        await open('#/o/Review__c/list');
        await assertAccessible('reviews');
        const hostile = reviews.rows.find((r) => r.values[0]?.startsWith('Markup test 1'));
        assert.ok(hostile, 'the imported reviews include the markup test review');
        await open(`#/r/Review__c/${hostile.id}/view`);
        await page.getByText('<img src=x onerror=alert(1)>').first().waitFor();
        assert.equal(
            await page.locator('img[src="x"]').count(),
            0,
            'no <img> element was created from review text'
        );
        assert.deepEqual(dialogs, [], 'no script ran');
        await assertAccessible('review-record');
    });

    step('posts a reply and the simulator stores it', async () => {
        const reviews = await preview<ListView>('/api/preview/listView', {
            objectApiName: 'Review__c',
            listView: 'Recent_service_reviews'
        });
        const target = reviews.rows.find((r) => r.values.includes('Awaiting reply'));
        assert.ok(target, 'a recent service review awaits a reply');
        await open(`#/r/Review__c/${target.id}/view`);
        const text = `Thank you! (e2e ${Date.now()})`;
        await page.getByRole('textbox', { name: label('TP_Reply_Field_Label') }).fill(text);
        await page.getByRole('button', { name: label('TP_Reply_Post') }).click();
        const stored = await eventually('the reply on the simulator', async () => {
            const r = await sim.get<{ replies: { reply: { text: string } | null }[] }>('/_admin/replies');
            return r.replies.find((x) => x.reply?.text === text);
        });
        assert.ok(stored);
    });

    step(
        'sends one invitation when an Opportunity reaches the trigger stage, with recipient, reference and SKUs',
        async () => {
            await enableRule(
                'opportunity',
                label('TP_Settings_Tab_Opportunities'),
                'Closed Won',
                label('TP_Rule_Recipient_Primary_Contact_Role'),
                undefined,
                label('TP_Rule_Type_Service_Product')
            );
            const opp = await demoRecord('Opportunity', 0);
            const before = (await invitations()).length;
            await setStage(opp.id, 'Closed Won');
            await open('#/n/Trustpilot_Invitation_Status');
            // Delay 0: the dispatcher may already have sent it by the time the page renders.
            const states = [label('TP_Invitation_Status_Pending'), label('TP_Invitation_Status_Sent')];
            await page
                .getByText(new RegExp(`^(${states.join('|')})$`))
                .first()
                .waitFor();
            const sent = await eventually('the invitation at the simulator', async () => {
                await runJobs();
                const list = await invitations();
                return list.length > before ? list : undefined;
            });
            assert.equal(sent.length, before + 1, 'exactly one invitation');
            const inv = sent[sent.length - 1];
            assert.equal(
                inv?.body.consumerEmail,
                'ada.lovelace@example.com',
                'the primary contact role is the recipient'
            );
            assert.match(inv?.body.referenceNumber ?? '', /\S/, 'a reference number is sent');
            const p = inv?.body.productReviewInvitation;
            const skus = p?.productSkus ?? p?.products?.map((x) => x.sku) ?? [];
            assert.deepEqual([...skus].sort(), ['NW-BAG-20F', 'NW-TENT-2P'], 'the SKUs of the line items');
            await open('#/n/Trustpilot_Invitation_Status');
            await page.getByText(label('TP_Invitation_Status_Sent')).first().waitFor();
            await assertAccessible('invitation-status');
        }
    );

    step('sends the same for an Order (Bill To) and a Case (Case Contact)', async () => {
        await enableRule(
            'order',
            label('TP_Settings_Tab_Orders'),
            'Activated',
            label('TP_Rule_Recipient_Bill_To')
        );
        await enableRule(
            'case',
            label('TP_Settings_Tab_Cases'),
            'Closed',
            label('TP_Rule_Recipient_Case_Contact')
        );
        const before = (await invitations()).length;
        await setStage((await demoRecord('Order', 2)).id, 'Activated');
        await setStage((await demoRecord('Case', 0)).id, 'Closed');
        const list = await eventually('two more invitations', async () => {
            await runJobs();
            const l = await invitations();
            return l.length >= before + 2 ? l : undefined;
        }).catch(withOrgInvitations);
        const emails = list
            .slice(before)
            .map((i) => i.body.consumerEmail)
            .sort();
        assert.deepEqual(
            emails,
            ['dorothy.vaughan@example.com', 'grace.hopper@example.com'],
            'Bill To of the order and the case contact'
        );
    });

    step(
        'skips a contact invited within the cool-down: a Skipped row on Invitation Status, nothing sent',
        async () => {
            // Order 0 is billed to Ada, whom the Opportunity step invited: the default 30-day cool-down holds.
            await settingsTab(label('TP_Settings_Tab_General'));
            const coolDownDays = await page.getByLabel(label('TP_General_Cool_Down')).inputValue();
            assert.equal(coolDownDays, '30', 'the default cool-down is on');
            const reason = label('TP_Invitation_Skip_Cool_Down').replace('{0}', coolDownDays);
            const before = (await invitations()).length;
            const order = await demoRecord('Order', 0);
            await setStage(order.id, 'Activated');
            const row = page.locator('tr', { hasText: reason });
            await eventually('the skipped invitation on Invitation Status', async () => {
                await runJobs();
                await open('#/n/Trustpilot_Invitation_Status');
                return (await row.count()) ? true : undefined;
            }).catch(withOrgInvitations);
            assert.equal(await row.count(), 1, 'one invitation skipped for the cool-down');
            const cells = await row.locator('td, th').allInnerTexts();
            assert.ok(
                cells.includes(label('TP_Invitation_Status_Skipped')),
                `status Skipped: ${cells.join(' | ')}`
            );
            assert.ok(cells.includes(order.name), `the source is order ${order.name}: ${cells.join(' | ')}`);
            assert.ok(
                cells.some((c) => c.includes('Ada Lovelace') || c.includes('ada.lovelace@example.com')),
                `the recipient is Ada: ${cells.join(' | ')}`
            );
            await runJobs(15 * 60_000);
            assert.equal((await invitations()).length, before, 'nothing reached the simulator');
        }
    );

    step('retries through a 429 and then a 500 until the invitation is sent', async () => {
        await sim.post('/_admin/faults', [
            { route: 'invitations.create', status: 429, retryAfter: 1 },
            { route: 'invitations.create', status: 500 }
        ]);
        const before = (await invitations()).length;
        await setStage((await demoRecord('Opportunity', 2)).id, 'Closed Won');
        // Back-off is in the org's time: each poll advances the org's clock 15 minutes, so the retry and
        // the scheduled sweep that picks retries up come due.
        await eventually(
            'the invitation after the retries',
            async () => {
                await runJobs(15 * 60_000);
                return (await invitations()).length > before ? true : undefined;
            },
            120_000,
            1_000
        ).catch(withOrgInvitations);
        const log = (await sim.get<{ requests: SimRequest[] }>('/_admin/requests?route=invitations.create'))
            .requests;
        const tail = log.slice(-3).map((r) => r.status);
        assert.deepEqual(tail, [429, 500, 202], 'answered 429, then 500, then accepted');
    });

    step('creates a Business Generated Link that the simulator’s verifier accepts', async () => {
        await settingsTab(label('TP_Settings_Tab_Links'));
        await page.getByRole('button', { name: label('TP_Keys_Manage') }).click();
        await page.getByLabel(label('TP_Keys_Encryption_Key')).fill(DEMO_BGL_KEYS.encryptionKey);
        await page.getByLabel(label('TP_Keys_Authentication_Key')).fill(DEMO_BGL_KEYS.authenticationKey);
        await page.getByRole('button', { name: label('TP_Keys_Save') }).click();
        await enableRule(
            'case',
            label('TP_Settings_Tab_Cases'),
            'Escalated',
            label('TP_Rule_Recipient_Case_Contact'),
            label('TP_Rule_Delivery_Link')
        );
        await setStage((await demoRecord('Case', 1)).id, 'Escalated');
        const linkCreated = label('TP_Invitation_Status_Link_Created');
        const row = page.locator('tr', { hasText: linkCreated }).first();
        await eventually('an invitation with its link created', async () => {
            await runJobs();
            await open('#/n/Trustpilot_Invitation_Status');
            return (await row.count()) ? true : undefined;
        }).catch(withOrgInvitations);
        // The user copies the link from the row's actions; without clipboard access the page shows it instead.
        await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP });
        await row.getByRole('button', { name: /show actions/i }).click();
        await page.getByRole('menuitem', { name: label('TP_Status_Copy_Link') }).click();
        const link = await eventually('the copied link', async () => {
            const fallback = page.locator('.copy-fallback-link input');
            const text = (await fallback.count())
                ? await fallback.inputValue()
                : await page.evaluate(() => navigator.clipboard.readText());
            return /https:\/\/www\.trustpilot\.com\/evaluate-bgl\/\S+/.exec(text)?.[0];
        });
        const verified = await sim.post<{ ok: boolean; payload: { email: string } }>('/_admin/bgl/verify', {
            link
        });
        assert.equal(verified.ok, true);
        assert.equal(verified.payload.email, 'margaret.h@example.com');
    });
    step('the header clock moves the org’s time and the open page reads its data again', async () => {
        await open('#/n/Trustpilot_Home');
        const clock = page.locator('preview-clock [data-id="clock"]');
        const was = await clock.getAttribute('datetime');
        const reread = page.waitForRequest(
            (r) => r.url().endsWith('/api/apex') && (r.postData() ?? '').includes('getHomeData')
        );
        await page.getByRole('button', { name: '+1 hour' }).click();
        await reread;
        await eventually('the clock one hour later', async () => {
            const now = await clock.getAttribute('datetime');
            return now && was && Date.parse(now) - Date.parse(was) >= 3_600_000 ? true : undefined;
        });
    });

    step('keeps the org connected and its jobs scheduled across a restart (Ctrl-C, npm start)', async () => {
        await product.stop();
        product = await startProduct(stateDir);
        assert.doesNotMatch(product.output(), /will not run/, 'every scheduled job was restored');
        // The restarted simulator's request log starts empty. Within the hour the scheduled review sync
        // fires and pages through reviews with a token obtained with the key and secret kept on disk.
        const requests = async (route: string) =>
            (await sim.get<{ requests: SimRequest[] }>(`/_admin/requests?route=${route}`)).requests;
        const { jobsRun } = await runJobs(60 * 60_000);
        assert.ok(jobsRun > 0, 'the scheduled jobs ran after the restart');
        assert.ok(
            (await requests('token')).some((r) => r.status === 200),
            'a token was obtained with the kept credentials'
        );
        assert.ok(
            (await requests('reviews.list')).some((r) => r.status === 200),
            'the scheduled sync read reviews'
        );
        await open('#/n/Trustpilot_Settings');
        await page.getByText('Northwind Outfitters').first().waitFor();
        assert.equal(
            await page.getByLabel(label('TP_Settings_Api_Secret')).inputValue(),
            '',
            'the secret is never sent back to the browser'
        );
    });
});
