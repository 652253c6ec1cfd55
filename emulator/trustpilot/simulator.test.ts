import assert from 'node:assert/strict';
import { createCipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { verifyBgl } from './bgl.ts';
import {
    buildSeed,
    CATALOGUE,
    DEMO_BUSINESS_UNIT_ID,
    DEMO_BUSINESS_USER_ID,
    DEMO_DOMAIN,
    PRODUCT_REVIEW_COUNT,
    SERVICE_REVIEW_COUNT,
    TEMPLATES
} from './seed.ts';
import { DEMO_API_KEY, DEMO_API_SECRET, DEMO_BGL_KEYS, startSimulator, type Simulator } from './server.ts';

const ANCHOR = new Date('2026-06-15T12:00:00Z');
const BU = DEMO_BUSINESS_UNIT_ID;
const basic = (k: string, s: string) => `Basic ${Buffer.from(`${k}:${s}`).toString('base64')}`;

/** The reference vector of trustpilot-api.md (Trustpilot's sample keys, IV = 00..0f). */
const REFERENCE_JSON =
    '{"email":"xyz@domain.com","name":"John Smith","ref":"1234","skus":["sku1","sku2","sku3"],"tags":["tag1","tag2","tag3"]}';
const REFERENCE_TOKEN =
    'AAECAwQFBgcICQoLDA0OD6aYnTp5MTzH20LK37rMC3ZyFDibGHfa2FHuI3GzU8SGso1Fhfa0wFNq5f9Q2yvQUYt9NWm90tKOPktWvWJn9QjNL/3tj+CRvBo4UNuWK/sPCtudofkykx4h2orkPaN6WcbTZINYN/9zw0Pa8wZfFLQ84xo/AKSRvUVxz/aMB2dFCrfa4ritCBtpKQ/UeUvRG9Mst2a8bdEW9UaM4Ayh/uU=';

function makeToken(json: string, encKey: string, authKey: string, iv = Buffer.alloc(16, 7)): string {
    const cipher = createCipheriv('aes-256-cbc', Buffer.from(encKey, 'base64'), iv);
    const ivCt = Buffer.concat([iv, cipher.update(json, 'utf8'), cipher.final()]);
    const mac = createHmac('sha256', Buffer.from(authKey, 'base64')).update(ivCt).digest();
    return Buffer.concat([ivCt, mac]).toString('base64');
}

let sim: Simulator;
let dir: string;

async function call(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; form?: string } = {}
) {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = init.form;
    } else if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
    }
    const res = await fetch(`${sim.url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        json = undefined;
    }
    return {
        status: res.status,
        headers: res.headers,
        text,
        json: json as Record<string, unknown> & Record<string, never>
    };
}

async function token(): Promise<string> {
    const r = await call('POST', '/v1/oauth/oauth-business-users-for-applications/accesstoken', {
        headers: { authorization: basic(DEMO_API_KEY, DEMO_API_SECRET) },
        form: 'grant_type=client_credentials'
    });
    assert.equal(r.status, 200, r.text);
    return r.json.access_token as unknown as string;
}

const bearer = async () => ({ authorization: `Bearer ${await token()}` });

function invitation(overrides: Record<string, unknown> = {}) {
    return {
        consumerEmail: 'ada@example.com',
        consumerName: 'Ada Lovelace',
        referenceNumber: 'INV-000001',
        locale: 'en-US',
        type: 'email',
        serviceReviewInvitation: {
            templateId: TEMPLATES[0]?.id,
            preferredSendTime: '2026-06-15T12:30:00',
            tags: ['web']
        },
        ...overrides
    };
}

before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-sim-'));
    sim = await startSimulator({ anchor: ANCHOR, stateFile: join(dir, 'state.json') });
});
after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
    await call('POST', '/_admin/reset');
    // The fixed anchor is in the past: pin the simulator's clock to it so dates are stable.
    await call('POST', '/_admin/clock', { body: { now: ANCHOR.toISOString() } });
});

describe('seed', () => {
    it('is deterministic and covers languages, stars and markup-looking text', () => {
        const a = buildSeed(ANCHOR);
        const b = buildSeed(ANCHOR);
        assert.deepEqual(a, b);
        assert.equal(a.serviceReviews.length, SERVICE_REVIEW_COUNT);
        assert.equal(a.productReviews.length, PRODUCT_REVIEW_COUNT);
        const languages = new Set(a.serviceReviews.map((r) => r.language));
        assert.ok(languages.size >= 5, `languages: ${[...languages].join(',')}`);
        assert.deepEqual(new Set(a.serviceReviews.map((r) => r.stars)), new Set([1, 2, 3, 4, 5]));
        assert.ok(a.serviceReviews.some((r) => r.text === '<img src=x onerror=alert(1)>'));
        assert.ok(a.productReviews.some((r) => r.content === '<img src=x onerror=alert(1)>'));
        assert.ok(a.serviceReviews.every((r) => Date.parse(r.createdAt) < ANCHOR.getTime()));
        assert.ok(a.productReviews.every((r) => CATALOGUE.some((c) => c.sku === r.product.sku)));
    });
});

describe('server', () => {
    it('listens on 127.0.0.1 only', () => {
        const address = sim.server.address();
        assert.equal(typeof address === 'object' && address ? address.address : '', '127.0.0.1');
    });
});

describe('oauth token', () => {
    const path = '/v1/oauth/oauth-business-users-for-applications/accesstoken';
    it('issues a bearer token for the right key and secret', async () => {
        const r = await call('POST', path, {
            headers: { authorization: basic(DEMO_API_KEY, DEMO_API_SECRET) },
            form: 'grant_type=client_credentials'
        });
        assert.equal(r.status, 200);
        assert.equal(r.json.token_type, 'Bearer');
        assert.equal(r.json.expires_in, 359_999);
        assert.ok(typeof r.json.access_token === 'string' && (r.json.access_token as string).length > 20);
    });
    it('rejects a wrong secret, a missing header and another grant type', async () => {
        assert.equal(
            (
                await call('POST', path, {
                    headers: { authorization: basic(DEMO_API_KEY, 'nope') },
                    form: 'grant_type=client_credentials'
                })
            ).status,
            401
        );
        assert.equal((await call('POST', path, { form: 'grant_type=client_credentials' })).status, 401);
        const wrongGrant = await call('POST', path, {
            headers: { authorization: basic(DEMO_API_KEY, DEMO_API_SECRET) },
            form: 'grant_type=password'
        });
        assert.equal(wrongGrant.status, 400);
    });
    it('private endpoints refuse requests without a valid token', async () => {
        assert.equal((await call('GET', `/v1/private/business-units/${BU}/reviews`)).status, 401);
        const r = await call('GET', `/v1/private/business-units/${BU}/reviews`, {
            headers: { authorization: 'Bearer forged' }
        });
        assert.equal(r.status, 401);
    });
    it('tokens expire after about 100 hours', async () => {
        const headers = await bearer();
        await call('POST', '/_admin/clock', { body: { advanceMs: 360_000 * 1000 } });
        assert.equal(
            (await call('GET', `/v1/private/business-units/${BU}/reviews`, { headers })).status,
            401
        );
    });
});

describe('business units', () => {
    it('finds the unit by domain with the apikey header, and gets it by id', async () => {
        const found = await call('GET', `/v1/business-units/find?name=${DEMO_DOMAIN}`, {
            headers: { apikey: DEMO_API_KEY }
        });
        assert.equal(found.status, 200);
        assert.equal(found.json.id, BU);
        const numbers = found.json.numberOfReviews as unknown as Record<string, number>;
        assert.equal(numbers.total, SERVICE_REVIEW_COUNT);
        assert.equal(
            numbers.oneStar! +
                numbers.twoStars! +
                numbers.threeStars! +
                numbers.fourStars! +
                numbers.fiveStars!,
            SERVICE_REVIEW_COUNT
        );
        const score = found.json.score as unknown as { trustScore: number; stars: number };
        assert.ok(score.trustScore >= 1 && score.trustScore <= 5);
        const got = await call('GET', `/v1/business-units/${BU}`, { headers: { apikey: DEMO_API_KEY } });
        assert.equal(got.json.displayName, 'Northwind Outfitters');
    });
    it('answers 404 for an unknown domain and 401 without the apikey', async () => {
        assert.equal(
            (
                await call('GET', '/v1/business-units/find?name=other.example', {
                    headers: { apikey: DEMO_API_KEY }
                })
            ).status,
            404
        );
        assert.equal((await call('GET', `/v1/business-units/find?name=${DEMO_DOMAIN}`)).status, 401);
    });
});

describe('service reviews', () => {
    it('pages through every review exactly once, newest first', async () => {
        const headers = await bearer();
        const ids: string[] = [];
        let last = '9999';
        for (let page = 1; ; page++) {
            const r = await call('GET', `/v1/private/business-units/${BU}/reviews?perPage=100&page=${page}`, {
                headers
            });
            assert.equal(r.status, 200);
            const reviews = r.json.reviews as unknown as { id: string; createdAt: string }[];
            if (reviews.length === 0) break;
            for (const review of reviews) {
                assert.ok(review.createdAt <= last, 'sorted by createdAt desc');
                last = review.createdAt;
                ids.push(review.id);
            }
        }
        assert.equal(ids.length, SERVICE_REVIEW_COUNT);
        assert.equal(new Set(ids).size, SERVICE_REVIEW_COUNT);
    });
    it('filters by date window, stars and language', async () => {
        const headers = await bearer();
        const seed = buildSeed(ANCHOR);
        const start = '2026-05-16T12:00:00';
        const expected = seed.serviceReviews.filter(
            (r) => Date.parse(r.createdAt) >= Date.parse(`${start}Z`)
        );
        const r = await call(
            'GET',
            `/v1/private/business-units/${BU}/reviews?perPage=100&startDateTime=${start}`,
            { headers }
        );
        assert.equal((r.json.reviews as unknown as unknown[]).length, Math.min(100, expected.length));
        assert.ok(expected.length > 20 && expected.length < SERVICE_REVIEW_COUNT);
        const ones = await call(
            'GET',
            `/v1/private/business-units/${BU}/reviews?perPage=100&stars=1&language=en`,
            { headers }
        );
        for (const review of ones.json.reviews as unknown as { stars: number; language: string }[]) {
            assert.equal(review.stars, 1);
            assert.equal(review.language, 'en');
        }
        const end = await call(
            'GET',
            `/v1/private/business-units/${BU}/reviews?endDateTime=2020-01-01T00:00:00`,
            { headers }
        );
        assert.deepEqual(end.json.reviews, []);
    });
    it('rejects perPage outside 1-100, a bad date and an unknown orderBy', async () => {
        const headers = await bearer();
        for (const q of [
            'perPage=101',
            'perPage=0',
            'page=0',
            'startDateTime=yesterday',
            'orderBy=title.asc'
        ]) {
            assert.equal(
                (await call('GET', `/v1/private/business-units/${BU}/reviews?${q}`, { headers })).status,
                400,
                q
            );
        }
    });
    it('serves the public view of one review without private fields', async () => {
        const id = buildSeed(ANCHOR).serviceReviews[5]?.id ?? '';
        const r = await call('GET', `/v1/reviews/${id}`, { headers: { apikey: DEMO_API_KEY } });
        assert.equal(r.status, 200);
        assert.equal(r.json.id, id);
        assert.equal('referralEmail' in r.json, false);
    });
});

describe('replies and product comments', () => {
    it('stores a reply, shows it on the review and in the responded filter, and deletes it', async () => {
        const headers = await bearer();
        const review = buildSeed(ANCHOR).serviceReviews[0];
        assert.ok(review && !review.companyReply);
        const posted = await call('POST', `/v1/private/reviews/${review.id}/reply`, {
            headers,
            body: { authorBusinessUserId: DEMO_BUSINESS_USER_ID, message: 'Thanks, <Ada>!' }
        });
        assert.equal(posted.status, 201);
        const replied = await call(
            'GET',
            `/v1/private/business-units/${BU}/reviews?responded=true&perPage=100`,
            { headers }
        );
        const match = (
            replied.json.reviews as unknown as { id: string; companyReply?: { text: string } }[]
        ).find((r) => r.id === review.id);
        assert.equal(match?.companyReply?.text, 'Thanks, <Ada>!');
        assert.equal(
            (await call('DELETE', `/v1/private/reviews/${review.id}/reply`, { headers })).status,
            204
        );
        const admin = await call('GET', '/_admin/replies');
        assert.deepEqual(admin.json.replies, [{ reviewId: review.id, reply: null }]);
        assert.equal(
            (await call('DELETE', `/v1/private/reviews/${review.id}/reply`, { headers })).status,
            404
        );
    });
    it('rejects a reply without message, from an unknown business user, or to an unknown review', async () => {
        const headers = await bearer();
        const id = buildSeed(ANCHOR).serviceReviews[0]?.id ?? '';
        assert.equal(
            (
                await call('POST', `/v1/private/reviews/${id}/reply`, {
                    headers,
                    body: { authorBusinessUserId: DEMO_BUSINESS_USER_ID }
                })
            ).status,
            400
        );
        assert.equal(
            (
                await call('POST', `/v1/private/reviews/${id}/reply`, {
                    headers,
                    body: { authorBusinessUserId: 'someone', message: 'x' }
                })
            ).status,
            403
        );
        assert.equal(
            (
                await call('POST', '/v1/private/reviews/nope/reply', {
                    headers,
                    body: { authorBusinessUserId: DEMO_BUSINESS_USER_ID, message: 'x' }
                })
            ).status,
            404
        );
    });
    it('creates one conversation per product review and stores comments', async () => {
        const headers = await bearer();
        const id = buildSeed(ANCHOR).productReviews[3]?.id ?? '';
        const created = await call('POST', `/v1/private/product-reviews/${id}/create-conversation`, {
            headers
        });
        assert.equal(created.status, 201);
        const again = await call('POST', `/v1/private/product-reviews/${id}/create-conversation`, {
            headers
        });
        assert.equal(again.json.conversationId, created.json.conversationId);
        const cid = created.json.conversationId as unknown as string;
        assert.equal(
            (
                await call('POST', `/v1/private/conversations/${cid}/comments`, {
                    headers,
                    body: { content: 'Glad you like it' }
                })
            ).status,
            201
        );
        assert.equal(
            (await call('POST', `/v1/private/conversations/${cid}/comments`, { headers, body: {} })).status,
            400
        );
        const conv = await call('GET', `/v1/private/conversations/${cid}`, { headers });
        assert.deepEqual(
            (conv.json.comments as unknown as { content: string }[]).map((c) => c.content),
            ['Glad you like it']
        );
        const list = await call(
            'GET',
            `/v1/private/product-reviews/business-units/${BU}/reviews?perPage=100`,
            { headers }
        );
        const review = (list.json.productReviews as unknown as { id: string; conversationId: string }[]).find(
            (r) => r.id === id
        );
        assert.equal(review?.conversationId, cid);
    });
    it('lists product reviews with paging, a SKU filter and a summary per SKU', async () => {
        const headers = await bearer();
        const sku = CATALOGUE[0]?.sku ?? '';
        const r = await call(
            'GET',
            `/v1/private/product-reviews/business-units/${BU}/reviews?perPage=100&sku=${sku}`,
            { headers }
        );
        const list = r.json.productReviews as unknown as { product: { sku: string } }[];
        assert.ok(list.length > 0 && list.every((x) => x.product.sku === sku));
        const summary = await call('GET', `/v1/product-reviews/business-units/${BU}?sku=${sku}`, {
            headers: { apikey: DEMO_API_KEY }
        });
        assert.equal((summary.json.numberOfReviews as unknown as { total: number }).total, list.length);
    });
});

describe('email invitations', () => {
    const path = `/v1/private/business-units/${BU}/email-invitations`;
    it('accepts a valid service and product invitation and keeps it queued until its send time', async () => {
        const headers = { ...(await bearer()), 'x-business-user-id': DEMO_BUSINESS_USER_ID };
        const body = invitation({
            productReviewInvitation: {
                templateId: TEMPLATES[1]?.id,
                productSkus: [CATALOGUE[0]?.sku, CATALOGUE[1]?.sku]
            }
        });
        const r = await call('POST', path, { headers, body });
        assert.equal(r.status, 202, r.text);
        let stored = await call('GET', '/_admin/invitations');
        let list = stored.json.invitations as unknown as {
            status: string;
            businessUserId: string;
            body: { referenceNumber: string };
        }[];
        assert.equal(list.length, 1);
        assert.equal(list[0]?.status, 'queued');
        assert.equal(list[0]?.businessUserId, DEMO_BUSINESS_USER_ID);
        assert.equal(list[0]?.body.referenceNumber, 'INV-000001');
        await call('POST', '/_admin/clock', { body: { advanceMs: 31 * 60_000 } });
        stored = await call('GET', '/_admin/invitations');
        list = stored.json.invitations as unknown as typeof list;
        assert.equal(list[0]?.status, 'sent');
    });
    const invalid: [string, Record<string, unknown>, string][] = [
        ['missing email', { consumerEmail: undefined }, 'consumerEmail is required'],
        ['bad email', { consumerEmail: 'not-an-email' }, 'consumerEmail is not a valid email address'],
        ['missing name', { consumerName: '' }, 'consumerName is required'],
        ['missing reference', { referenceNumber: undefined }, 'referenceNumber is required'],
        ['bad locale', { locale: 'english' }, 'locale must look like en-US'],
        [
            'neither section',
            { serviceReviewInvitation: undefined },
            'one of serviceReviewInvitation or productReviewInvitation is required'
        ],
        [
            'bad send time',
            { serviceReviewInvitation: { preferredSendTime: '15/06/2026 12:00' } },
            'serviceReviewInvitation.preferredSendTime must be'
        ],
        [
            'impossible date',
            { serviceReviewInvitation: { preferredSendTime: '2026-02-30T10:00:00' } },
            'serviceReviewInvitation.preferredSendTime must be'
        ],
        [
            'unknown template',
            { serviceReviewInvitation: { templateId: 'nope' } },
            'serviceReviewInvitation.templateId nope does not exist'
        ],
        [
            'products and productSkus',
            {
                productReviewInvitation: {
                    products: [{ sku: 'NW-TENT-2P', name: 'Tent' }],
                    productSkus: ['NW-TENT-2P']
                }
            },
            'send either products or productSkus, not both'
        ],
        [
            'unknown SKU',
            { productReviewInvitation: { productSkus: ['NOPE-1'] } },
            'not in the product catalogue: NOPE-1'
        ],
        [
            'product without name',
            { productReviewInvitation: { products: [{ sku: 'X' }] } },
            'products[0] needs sku and name'
        ]
    ];
    for (const [name, overrides, message] of invalid) {
        it(`rejects ${name} with 400 naming the problem`, async () => {
            const headers = await bearer();
            const r = await call('POST', path, { headers, body: invitation(overrides) });
            assert.equal(r.status, 400);
            const details = (r.json.details as unknown as string[]).join('\n');
            assert.ok(details.includes(message), `${details} should include ${message}`);
            assert.deepEqual((await call('GET', '/_admin/invitations')).json.invitations, []);
        });
    }
    it('rejects an unknown business user header and an unknown business unit', async () => {
        const headers = await bearer();
        assert.equal(
            (
                await call('POST', path, {
                    headers: { ...headers, 'x-business-user-id': 'x' },
                    body: invitation()
                })
            ).status,
            403
        );
        assert.equal(
            (
                await call('POST', '/v1/private/business-units/other/email-invitations', {
                    headers,
                    body: invitation()
                })
            ).status,
            404
        );
    });
    it('lists templates, creates invitation links and erases invitation data by email', async () => {
        const headers = await bearer();
        const t = await call('GET', `/v1/private/business-units/${BU}/templates`, { headers });
        assert.equal((t.json.templates as unknown as unknown[]).length, TEMPLATES.length);
        const link = await call('POST', `/v1/private/business-units/${BU}/invitation-links`, {
            headers,
            body: { referenceId: 'R1', email: 'ada@example.com', name: 'Ada', locale: 'en-US', tags: ['x'] }
        });
        assert.equal(link.status, 200);
        assert.match(link.json.url as unknown as string, /^https:\/\/www\.trustpilot\.com\/evaluate-link\//);
        assert.equal(
            (
                await call('POST', `/v1/private/business-units/${BU}/invitation-links`, {
                    headers,
                    body: { referenceId: 'R1' }
                })
            ).status,
            400
        );
        await call('POST', path, { headers, body: invitation() });
        await call('POST', path, {
            headers,
            body: invitation({ consumerEmail: 'bob@example.com', referenceNumber: 'INV-2' })
        });
        const del = await call('POST', `/v1/private/business-units/${BU}/invitation-data/delete`, {
            headers,
            body: { customerEmails: ['ADA@example.com'] }
        });
        assert.equal(del.status, 202);
        const left = (await call('GET', '/_admin/invitations')).json.invitations as unknown as {
            body: { consumerEmail: string };
        }[];
        assert.deepEqual(
            left.map((i) => i.body.consumerEmail),
            ['bob@example.com']
        );
        assert.deepEqual((await call('GET', '/_admin/links')).json.links, []);
        assert.equal(
            (
                await call('POST', `/v1/private/business-units/${BU}/invitation-data/delete`, {
                    headers,
                    body: {}
                })
            ).status,
            400
        );
    });
});

describe('fault injection', () => {
    const path = `/v1/private/business-units/${BU}/email-invitations`;
    it('answers 429 with Retry-After, then 500, then the real response', async () => {
        const headers = await bearer();
        const added = await call('POST', '/_admin/faults', {
            body: [
                { route: 'invitations.create', status: 429, retryAfter: 30 },
                { route: 'invitations.create', status: 500 }
            ]
        });
        assert.equal(added.status, 201);
        const first = await call('POST', path, { headers, body: invitation() });
        assert.equal(first.status, 429);
        assert.equal(first.headers.get('retry-after'), '30');
        assert.equal((await call('POST', path, { headers, body: invitation() })).status, 500);
        assert.equal((await call('POST', path, { headers, body: invitation() })).status, 202);
        assert.equal(
            ((await call('GET', '/_admin/invitations')).json.invitations as unknown as unknown[]).length,
            1
        );
        const log = (await call('GET', '/_admin/requests?route=invitations.create')).json
            .requests as unknown as { status: number; fault: string | null }[];
        assert.deepEqual(
            log.map((e) => e.status),
            [429, 500, 202]
        );
        assert.equal(log[0]?.fault, '429');
    });
    it('applies a fault N times to one route only, and * to every route', async () => {
        const headers = await bearer();
        await call('POST', '/_admin/faults', {
            body: { route: 'reviews.list', status: 503, times: 2, retryAfter: 1 }
        });
        const reviews = `/v1/private/business-units/${BU}/reviews`;
        assert.equal(
            (await call('GET', `/v1/private/business-units/${BU}/templates`, { headers })).status,
            200
        );
        assert.equal((await call('GET', reviews, { headers })).status, 503);
        assert.equal((await call('GET', reviews, { headers })).status, 503);
        assert.equal((await call('GET', reviews, { headers })).status, 200);
        await call('POST', '/_admin/faults', { body: { route: '*', status: 401, times: 0 } });
        assert.equal((await call('GET', reviews, { headers })).status, 401);
        assert.equal(
            (await call('GET', `/v1/business-units/${BU}`, { headers: { apikey: DEMO_API_KEY } })).status,
            401
        );
        await call('DELETE', '/_admin/faults');
        assert.equal((await call('GET', reviews, { headers })).status, 200);
    });
    it('serves malformed JSON and slow responses', async () => {
        const headers = await bearer();
        await call('POST', '/_admin/faults', {
            body: [
                { route: 'reviews.list', malformed: true },
                { route: 'reviews.list', delayMs: 300 }
            ]
        });
        const bad = await call('GET', `/v1/private/business-units/${BU}/reviews`, { headers });
        assert.equal(bad.status, 200);
        assert.equal(bad.json, undefined, 'body must not parse as JSON');
        const started = Date.now();
        const slow = await call('GET', `/v1/private/business-units/${BU}/reviews`, { headers });
        assert.equal(slow.status, 200);
        assert.ok(Date.now() - started >= 290);
    });
    it('rejects an unknown route name and a fault with nothing to do', async () => {
        assert.equal(
            (await call('POST', '/_admin/faults', { body: { route: 'nope', status: 500 } })).status,
            400
        );
        assert.equal((await call('POST', '/_admin/faults', { body: { route: 'token' } })).status, 400);
    });
});

describe('business generated links', () => {
    it('accepts the reference vector and returns its payload', async () => {
        const r = await call('POST', '/_admin/bgl/verify', {
            body: { token: encodeURIComponent(REFERENCE_TOKEN) }
        });
        assert.equal(r.status, 200);
        assert.deepEqual(r.json.payload, JSON.parse(REFERENCE_JSON));
        const link = `https://www.trustpilot.com/evaluate-bgl/${DEMO_DOMAIN}?p=${encodeURIComponent(REFERENCE_TOKEN)}`;
        const viaLink = verifyBgl(link, DEMO_BGL_KEYS);
        assert.ok(viaLink.ok && viaLink.domain === DEMO_DOMAIN);
        const opened = await call(
            'GET',
            `/evaluate-bgl/${DEMO_DOMAIN}?p=${encodeURIComponent(REFERENCE_TOKEN)}`
        );
        assert.equal(opened.status, 200);
    });
    it('rejects a tampered token, a MAC over the JSON, wrong keys and a payload without ref', () => {
        const raw = Buffer.from(REFERENCE_TOKEN, 'base64');
        raw[20] = (raw[20] ?? 0) ^ 1;
        assert.match(
            String((verifyBgl(raw.toString('base64'), DEMO_BGL_KEYS) as { error: string }).error),
            /MAC mismatch/
        );
        // MAC over the JSON instead of IV ‖ CT: a classic mistake.
        const iv = Buffer.alloc(16, 3);
        const cipher = createCipheriv('aes-256-cbc', Buffer.from(DEMO_BGL_KEYS.encryptionKey, 'base64'), iv);
        const ivCt = Buffer.concat([iv, cipher.update(REFERENCE_JSON), cipher.final()]);
        const wrongMac = createHmac('sha256', Buffer.from(DEMO_BGL_KEYS.authenticationKey, 'base64'))
            .update(REFERENCE_JSON)
            .digest();
        assert.equal(verifyBgl(Buffer.concat([ivCt, wrongMac]).toString('base64'), DEMO_BGL_KEYS).ok, false);
        const otherKey = Buffer.alloc(32, 9).toString('base64');
        assert.equal(verifyBgl(REFERENCE_TOKEN, { ...DEMO_BGL_KEYS, authenticationKey: otherKey }).ok, false);
        const undecryptable = makeToken(REFERENCE_JSON, otherKey, DEMO_BGL_KEYS.authenticationKey);
        assert.equal(verifyBgl(undecryptable, DEMO_BGL_KEYS).ok, false);
        const noRef = makeToken(
            '{"email":"a@b.c","name":"A"}',
            DEMO_BGL_KEYS.encryptionKey,
            DEMO_BGL_KEYS.authenticationKey
        );
        assert.deepEqual(verifyBgl(noRef, DEMO_BGL_KEYS), { ok: false, error: 'payload.ref is required' });
        const spacedTag = makeToken(
            '{"email":"a@b.c","name":"A","ref":"1","tags":["a b"]}',
            DEMO_BGL_KEYS.encryptionKey,
            DEMO_BGL_KEYS.authenticationKey
        );
        assert.equal(verifyBgl(spacedTag, DEMO_BGL_KEYS).ok, false);
    });
    it('verifies with keys configured at run time', async () => {
        const keys = {
            encryptionKey: Buffer.alloc(32, 1).toString('base64'),
            authenticationKey: Buffer.alloc(32, 2).toString('base64')
        };
        assert.equal(
            (
                await call('PUT', '/_admin/bgl/keys', {
                    body: { encryptionKey: 'short', authenticationKey: keys.authenticationKey }
                })
            ).status,
            400
        );
        assert.equal((await call('PUT', '/_admin/bgl/keys', { body: keys })).status, 204);
        const t = makeToken(
            '{"email":"é@b.c","name":"Zoë","ref":"INV-1","skus":["NW-TENT-2P"]}',
            keys.encryptionKey,
            keys.authenticationKey
        );
        const r = await call('POST', '/_admin/bgl/verify', { body: { token: t } });
        assert.equal(r.status, 200);
        assert.equal((r.json.payload as unknown as { name: string }).name, 'Zoë');
        assert.equal(
            (await call('POST', '/_admin/bgl/verify', { body: { token: REFERENCE_TOKEN } })).status,
            422
        );
    });
});

describe('request log and persistence', () => {
    it('logs API requests with shortened credentials and no admin traffic', async () => {
        await call('DELETE', '/_admin/requests');
        const headers = await bearer();
        await call('GET', `/v1/private/business-units/${BU}/reviews?perPage=5`, { headers });
        const log = (await call('GET', '/_admin/requests')).json.requests as unknown as {
            route: string;
            headers: Record<string, string>;
            query: Record<string, string>;
            body: unknown;
        }[];
        assert.deepEqual(
            log.map((e) => e.route),
            ['token', 'reviews.list']
        );
        assert.deepEqual(log[0]?.body, { grant_type: 'client_credentials' });
        assert.ok(
            !log[0]?.headers.authorization?.includes(
                Buffer.from(`${DEMO_API_KEY}:${DEMO_API_SECRET}`).toString('base64')
            )
        );
        assert.equal(log[1]?.query.perPage, '5');
        assert.ok(log[1]?.headers.authorization?.endsWith('…'));
    });
    it('keeps replies, invitations and tokens across a restart with the same state file', async () => {
        const headers = await bearer();
        const id = buildSeed(ANCHOR).serviceReviews[1]?.id ?? '';
        await call('POST', `/v1/private/reviews/${id}/reply`, {
            headers,
            body: { authorBusinessUserId: DEMO_BUSINESS_USER_ID, message: 'kept' }
        });
        await call('POST', `/v1/private/business-units/${BU}/email-invitations`, {
            headers,
            body: invitation()
        });
        await sim.close();
        sim = await startSimulator({
            anchor: new Date('2030-01-01T00:00:00Z'),
            stateFile: join(dir, 'state.json')
        });
        const list = await call('GET', `/v1/private/business-units/${BU}/reviews?perPage=5`, { headers });
        assert.equal(list.status, 200, 'the token survived the restart');
        const review = (
            list.json.reviews as unknown as { id: string; companyReply?: { text: string } }[]
        ).find((r) => r.id === id);
        assert.equal(
            review?.companyReply?.text,
            'kept',
            'the seed anchor comes from the state file, so ids and replies match'
        );
        assert.equal(
            ((await call('GET', '/_admin/invitations')).json.invitations as unknown as unknown[]).length,
            1
        );
    });
});
