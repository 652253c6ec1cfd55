/**
 * Trustpilot API simulator: one HTTP server on 127.0.0.1 answering the endpoints of both
 * `api.trustpilot.com` and `invitations-api.trustpilot.com` that the package calls (their paths do
 * not overlap), plus `/_admin/*` endpoints to inspect and steer it. See README.md in this folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { checkKeys, verifyBgl, type BglKeys } from './bgl.ts';
import { buildSeed, CATALOGUE, objectId, TEMPLATES, type SeedData } from './seed.ts';
import type {
    CompanyReply,
    Conversation,
    FaultRule,
    LogEntry,
    ProductReview,
    ServiceReview,
    StoredInvitation,
    StoredLink
} from './types.ts';
import { isUtcDateTime, validateEmailInvitation, validateInvitationLink } from './validation.ts';

/** Demo credentials: what a user types into Settings › Connection against the simulator. */
export const DEMO_API_KEY = 'demo-api-key';
export const DEMO_API_SECRET = 'demo-api-secret';
/**
 * Demo BGL keys: the sample keys from Trustpilot's public Node.js BGL example (not secrets), so
 * the reference vector in the docs verifies against the simulator as configured by default.
 */
export const DEMO_BGL_KEYS: BglKeys = {
    encryptionKey: 'XCxIAot+Tr6FVbU5fROwe2ckBEoFDcb6gwBT8022oVs=',
    authenticationKey: 'wNh58yFZ58H+QPomgWkgPqM3JZegQqpg39k06Q4ZvrA='
};
/** The simulator's port for `npm run sim` and `npm start`. */
export const DEFAULT_SIM_PORT = 4718;
/** Seconds a token lives, like Trustpilot's client-credentials tokens (about 100 hours). */
export const TOKEN_TTL_SECONDS = 359_999;
const LOG_LIMIT = 5_000;

export interface SimulatorOptions {
    /** 0 picks a free port. Default 0. */
    port?: number;
    apiKey?: string;
    apiSecret?: string;
    bglKeys?: BglKeys;
    /** "Now" of the seed: reviews are dated before it. Default: the current time, truncated to the minute. */
    anchor?: Date;
    seed?: number;
    /** JSON file keeping replies, comments, invitations, links, added reviews and tokens across restarts. */
    stateFile?: string;
}

export interface Simulator {
    url: string;
    port: number;
    server: Server;
    close(): Promise<void>;
}

interface Persisted {
    version: 1;
    anchor: string;
    seed: number;
    clockOffsetMs: number;
    apiKey: string;
    apiSecret: string;
    bglKeys: BglKeys;
    replies: Record<string, CompanyReply | null>;
    conversations: Conversation[];
    invitations: StoredInvitation[];
    links: StoredLink[];
    addedServiceReviews: ServiceReview[];
    addedProductReviews: ProductReview[];
    tokens: Record<string, number>;
    counter: number;
}

interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

interface Ctx {
    req: IncomingMessage;
    params: Record<string, string>;
    query: URLSearchParams;
    body: unknown;
}

type Auth = 'none' | 'apikey' | 'bearer';

interface Route {
    name: string;
    method: string;
    pattern: RegExp;
    auth: Auth;
    /** Admin routes are neither logged nor subject to faults. */
    admin?: boolean;
    handle(ctx: Ctx): Reply | Promise<Reply>;
}

class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly details?: string[]
    ) {
        super(message);
    }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function paging(query: URLSearchParams): { page: number; perPage: number } {
    const page = query.has('page') ? Number(query.get('page')) : 1;
    const perPage = query.has('perPage') ? Number(query.get('perPage')) : 20;
    if (!Number.isInteger(page) || page < 1) throw new HttpError(400, 'page must be an integer from 1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100)
        throw new HttpError(400, 'perPage must be an integer from 1 to 100');
    return { page, perPage };
}

/** `2024-05-01T00:00:00` (UTC when no zone is given), with optional fraction and zone, or a bare date. */
function parseDateParam(query: URLSearchParams, name: string): number | null {
    const v = query.get(name);
    if (v === null || v === '') return null;
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
        throw new HttpError(400, `${name} must be an ISO-8601 date-time such as 2024-05-01T00:00:00`);
    }
    const withTime = v.length === 10 ? `${v}T00:00:00` : v;
    const t = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(withTime) ? withTime : `${withTime}Z`);
    if (Number.isNaN(t)) throw new HttpError(400, `${name} is not a valid date-time`);
    return t;
}

function listFilter(
    query: URLSearchParams
): (r: { createdAt: string; stars: number; language: string; referenceId: string | null }) => boolean {
    const start = parseDateParam(query, 'startDateTime');
    const end = parseDateParam(query, 'endDateTime');
    const stars = query.get('stars')?.split(',').filter(Boolean).map(Number);
    if (stars?.some((s) => !Number.isInteger(s) || s < 1 || s > 5))
        throw new HttpError(400, 'stars must be 1-5, comma separated');
    const languages = query
        .get('language')
        ?.split(',')
        .filter((l) => l && l !== 'all');
    const referenceId = query.get('referenceId');
    return (r) => {
        const t = Date.parse(r.createdAt);
        return (
            (start === null || t >= start) &&
            (end === null || t <= end) &&
            (!stars?.length || stars.includes(r.stars)) &&
            (!languages?.length || languages.includes(r.language)) &&
            (referenceId === null || r.referenceId === referenceId)
        );
    };
}

function order<T extends { createdAt: string; stars: number }>(list: T[], orderBy: string | null): T[] {
    const key = (orderBy ?? 'createdat.desc').toLowerCase();
    const cmp: Record<string, (a: T, b: T) => number> = {
        'createdat.desc': (a, b) => b.createdAt.localeCompare(a.createdAt),
        'createdat.asc': (a, b) => a.createdAt.localeCompare(b.createdAt),
        'stars.desc': (a, b) => b.stars - a.stars || b.createdAt.localeCompare(a.createdAt),
        'stars.asc': (a, b) => a.stars - b.stars || b.createdAt.localeCompare(a.createdAt)
    };
    const fn = cmp[key];
    if (!fn) throw new HttpError(400, `orderBy must be one of ${Object.keys(cmp).join(', ')}`);
    return [...list].sort(fn);
}

function pageLinks(req: IncomingMessage, query: URLSearchParams, page: number, hasNext: boolean) {
    if (!hasNext) return [];
    const next = new URLSearchParams(query);
    next.set('page', String(page + 1));
    return [
        { href: `${(req.url ?? '').split('?')[0] ?? ''}?${next.toString()}`, method: 'GET', rel: 'next-page' }
    ];
}

function shorten(credential: string): string {
    const [scheme, value] = credential.split(' ', 2);
    return value ? `${scheme ?? ''} ${value.slice(0, 6)}…` : '…';
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
    const stateFile = options.stateFile;
    let p: Persisted;
    const fresh = (): Persisted => {
        const anchor = options.anchor ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
        return {
            version: 1,
            anchor: anchor.toISOString(),
            seed: options.seed ?? 20261127,
            clockOffsetMs: 0,
            apiKey: options.apiKey ?? DEMO_API_KEY,
            apiSecret: options.apiSecret ?? DEMO_API_SECRET,
            bglKeys: options.bglKeys ?? DEMO_BGL_KEYS,
            replies: {},
            conversations: [],
            invitations: [],
            links: [],
            addedServiceReviews: [],
            addedProductReviews: [],
            tokens: {},
            counter: 0
        };
    };
    if (stateFile && existsSync(stateFile)) {
        p = JSON.parse(readFileSync(stateFile, 'utf8')) as Persisted;
        if (p.version !== 1)
            throw new Error(`${stateFile}: unknown state version; delete it to reset the simulator`);
    } else {
        p = fresh();
    }
    checkKeys(p.bglKeys);

    let seed: SeedData = buildSeed(new Date(p.anchor), p.seed);
    const now = () => new Date(Date.now() + p.clockOffsetMs);
    const nextId = (kind: number) => objectId(kind, ++p.counter);
    const save = () => {
        if (!stateFile) return;
        mkdirSync(dirname(stateFile), { recursive: true });
        writeFileSync(`${stateFile}.tmp`, JSON.stringify(p));
        renameSync(`${stateFile}.tmp`, stateFile);
    };
    const faults: FaultRule[] = [];
    const log: LogEntry[] = [];
    let seq = 0;

    const serviceReviews = (): ServiceReview[] =>
        [...p.addedServiceReviews, ...seed.serviceReviews].map((r) => {
            if (!(r.id in p.replies)) return r;
            const reply = p.replies[r.id];
            const copy = { ...r };
            if (reply) copy.companyReply = reply;
            else delete copy.companyReply;
            return copy;
        });
    const productReviews = (): ProductReview[] =>
        [...p.addedProductReviews, ...seed.productReviews].map((r) => {
            const conv = p.conversations.find((c) => c.productReviewId === r.id);
            return conv ? { ...r, conversationId: conv.id } : r;
        });
    const businessUnit = (id: string) => {
        if (id !== seed.businessUnit.id) throw new HttpError(404, `business unit ${id} not found`);
        return seed.businessUnit;
    };
    const invitationView = (i: StoredInvitation): StoredInvitation => ({
        ...i,
        status: Date.parse(i.sendAt) <= now().getTime() ? 'sent' : 'queued'
    });
    const businessUnitView = () => {
        const bu = seed.businessUnit;
        const reviews = serviceReviews();
        const count = (s: number) => reviews.filter((r) => r.stars === s).length;
        const avg = reviews.reduce((sum, r) => sum + r.stars, 0) / Math.max(1, reviews.length);
        return {
            id: bu.id,
            displayName: bu.displayName,
            name: bu.name,
            websiteUrl: bu.websiteUrl,
            country: bu.country,
            status: bu.status,
            score: { trustScore: Math.round(avg * 10) / 10, stars: Math.round(avg * 2) / 2 },
            numberOfReviews: {
                total: reviews.length,
                usedForTrustScoreCalculation: reviews.length,
                oneStar: count(1),
                twoStars: count(2),
                threeStars: count(3),
                fourStars: count(4),
                fiveStars: count(5)
            },
            links: [
                {
                    href: `https://www.trustpilot.com/review/${bu.name.identifying}`,
                    method: 'GET',
                    rel: 'profile'
                }
            ]
        };
    };
    const checkBusinessUser = (id: unknown, field: string) => {
        if (typeof id !== 'string' || id === '') throw new HttpError(400, `${field} is required`);
        if (!seed.businessUnit.businessUserIds.includes(id))
            throw new HttpError(403, `${field} ${id} is not a user of this business unit`);
    };
    const objectBody = (body: unknown): Record<string, unknown> => {
        if (typeof body !== 'object' || body === null || Array.isArray(body))
            throw new HttpError(400, 'body must be a JSON object');
        return body as Record<string, unknown>;
    };
    const statsSince = (days: number) => {
        const since = now().getTime() - days * 86_400_000;
        const recent = <T extends { createdAt: string }>(list: T[]) =>
            list.filter((r) => Date.parse(r.createdAt) >= since);
        const service = recent(serviceReviews());
        return {
            days,
            since: new Date(since).toISOString(),
            serviceReviews: service.length,
            productReviews: recent(productReviews()).length,
            serviceReviewsAwaitingReply: service.filter((r) => !r.companyReply).length,
            totalServiceReviews: serviceReviews().length,
            totalProductReviews: productReviews().length
        };
    };

    const routes: Route[] = [
        {
            name: 'token',
            method: 'POST',
            pattern: /^\/v1\/oauth\/oauth-business-users-for-applications\/accesstoken$/,
            auth: 'none',
            handle: ({ req, body }) => {
                const header = req.headers.authorization ?? '';
                const m = /^Basic\s+(.+)$/i.exec(header);
                const decoded = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
                const sep = decoded.indexOf(':');
                const key = sep >= 0 ? decoded.slice(0, sep) : '';
                const secret = sep >= 0 ? decoded.slice(sep + 1) : '';
                if (key !== p.apiKey || secret !== p.apiSecret) {
                    return {
                        status: 401,
                        body: { error: 'invalid_client', error_description: 'Invalid API key or secret' }
                    };
                }
                const grant = (body as Record<string, string> | null)?.grant_type;
                if (grant !== 'client_credentials') {
                    return {
                        status: 400,
                        body: {
                            error: 'unsupported_grant_type',
                            error_description: 'grant_type must be client_credentials'
                        }
                    };
                }
                const token = randomBytes(24).toString('base64url');
                p.tokens[token] = now().getTime() + TOKEN_TTL_SECONDS * 1000;
                save();
                return {
                    status: 200,
                    body: {
                        access_token: token,
                        token_type: 'Bearer',
                        expires_in: TOKEN_TTL_SECONDS,
                        issued_at: String(now().getTime())
                    }
                };
            }
        },
        {
            name: 'businessUnits.find',
            method: 'GET',
            pattern: /^\/v1\/business-units\/find$/,
            auth: 'apikey',
            handle: ({ query }) => {
                const name = (query.get('name') ?? '').toLowerCase();
                if (!name) throw new HttpError(400, 'name is required');
                const bu = seed.businessUnit;
                if (![bu.name.identifying, ...bu.name.referring].some((n) => n.toLowerCase() === name)) {
                    throw new HttpError(404, `no business unit named ${name}`);
                }
                return { status: 200, body: businessUnitView() };
            }
        },
        {
            name: 'businessUnits.webLinks',
            method: 'GET',
            pattern: /^\/v1\/business-units\/(?<buId>[^/]+)\/web-links$/,
            auth: 'apikey',
            handle: ({ params, query }) => {
                const bu = businessUnit(params.buId ?? '');
                const domain = bu.name.identifying;
                return {
                    status: 200,
                    body: {
                        locale: query.get('locale') ?? 'en-US',
                        profileUrl: `https://www.trustpilot.com/review/${domain}`,
                        evaluateUrl: `https://www.trustpilot.com/evaluate/${domain}`,
                        evaluateEmbedUrl: `https://www.trustpilot.com/evaluate/embed/${domain}`
                    }
                };
            }
        },
        {
            name: 'businessUnits.get',
            method: 'GET',
            pattern: /^\/v1\/business-units\/(?<buId>[^/]+)$/,
            auth: 'apikey',
            handle: ({ params }) => {
                businessUnit(params.buId ?? '');
                return { status: 200, body: businessUnitView() };
            }
        },
        {
            name: 'reviews.get',
            method: 'GET',
            pattern: /^\/v1\/reviews\/(?<id>[^/]+)$/,
            auth: 'apikey',
            handle: ({ params }) => {
                const review = serviceReviews().find((r) => r.id === params.id);
                if (!review) throw new HttpError(404, `review ${params.id ?? ''} not found`);
                // The public view carries no private fields.
                const { referralEmail: _email, referenceId: _ref, ...publicReview } = review;
                return { status: 200, body: publicReview };
            }
        },
        {
            name: 'reviews.list',
            method: 'GET',
            pattern: /^\/v1\/private\/business-units\/(?<buId>[^/]+)\/reviews$/,
            auth: 'bearer',
            handle: ({ req, params, query }) => {
                businessUnit(params.buId ?? '');
                const { page, perPage } = paging(query);
                const base = listFilter(query);
                const responded = query.get('responded');
                const referralEmail = query.get('referralEmail');
                const tagGroup = query.get('tagGroup');
                const tagValue = query.get('tagValue');
                const all = order(
                    serviceReviews().filter(
                        (r) =>
                            base(r) &&
                            (responded === null || (responded === 'true') === Boolean(r.companyReply)) &&
                            (referralEmail === null || r.referralEmail === referralEmail) &&
                            (tagGroup === null ||
                                r.tags.some(
                                    (t) => t.group === tagGroup && (tagValue === null || t.value === tagValue)
                                ))
                    ),
                    query.get('orderBy')
                );
                const slice = all.slice((page - 1) * perPage, page * perPage);
                return {
                    status: 200,
                    body: { reviews: slice, links: pageLinks(req, query, page, page * perPage < all.length) }
                };
            }
        },
        {
            name: 'reply.post',
            method: 'POST',
            pattern: /^\/v1\/private\/reviews\/(?<id>[^/]+)\/reply$/,
            auth: 'bearer',
            handle: ({ params, body }) => {
                const id = params.id ?? '';
                if (!serviceReviews().some((r) => r.id === id))
                    throw new HttpError(404, `review ${id} not found`);
                const b = objectBody(body);
                checkBusinessUser(b.authorBusinessUserId, 'authorBusinessUserId');
                if (typeof b.message !== 'string' || b.message.trim() === '')
                    throw new HttpError(400, 'message is required');
                p.replies[id] = {
                    text: b.message,
                    createdAt: now().toISOString(),
                    authorBusinessUserId: b.authorBusinessUserId as string
                };
                save();
                return { status: 201 };
            }
        },
        {
            name: 'reply.delete',
            method: 'DELETE',
            pattern: /^\/v1\/private\/reviews\/(?<id>[^/]+)\/reply$/,
            auth: 'bearer',
            handle: ({ params }) => {
                const id = params.id ?? '';
                const review = serviceReviews().find((r) => r.id === id);
                if (!review) throw new HttpError(404, `review ${id} not found`);
                if (!review.companyReply) throw new HttpError(404, `review ${id} has no reply`);
                p.replies[id] = null;
                save();
                return { status: 204 };
            }
        },
        {
            name: 'productReviews.list',
            method: 'GET',
            pattern: /^\/v1\/private\/product-reviews\/business-units\/(?<buId>[^/]+)\/reviews$/,
            auth: 'bearer',
            handle: ({ req, params, query }) => {
                businessUnit(params.buId ?? '');
                const { page, perPage } = paging(query);
                const base = listFilter(query);
                const sku = query.get('sku')?.split(',').filter(Boolean);
                const all = order(
                    productReviews().filter((r) => base(r) && (!sku?.length || sku.includes(r.product.sku))),
                    query.get('orderBy')
                );
                const slice = all.slice((page - 1) * perPage, page * perPage);
                return {
                    status: 200,
                    body: {
                        productReviews: slice,
                        links: pageLinks(req, query, page, page * perPage < all.length)
                    }
                };
            }
        },
        {
            name: 'productReviews.summary',
            method: 'GET',
            pattern: /^\/v1\/product-reviews\/business-units\/(?<buId>[^/]+)$/,
            auth: 'apikey',
            handle: ({ params, query }) => {
                businessUnit(params.buId ?? '');
                const sku = query.get('sku');
                if (!sku) throw new HttpError(400, 'sku is required');
                const list = productReviews().filter((r) => sku.split(',').includes(r.product.sku));
                const count = (s: number) => list.filter((r) => r.stars === s).length;
                const avg = list.reduce((sum, r) => sum + r.stars, 0) / Math.max(1, list.length);
                return {
                    status: 200,
                    body: {
                        starsAverage: Math.round(avg * 10) / 10,
                        numberOfReviews: {
                            total: list.length,
                            oneStar: count(1),
                            twoStars: count(2),
                            threeStars: count(3),
                            fourStars: count(4),
                            fiveStars: count(5)
                        }
                    }
                };
            }
        },
        {
            name: 'conversation.create',
            method: 'POST',
            pattern: /^\/v1\/private\/product-reviews\/(?<id>[^/]+)\/create-conversation$/,
            auth: 'bearer',
            handle: ({ params }) => {
                const id = params.id ?? '';
                if (!productReviews().some((r) => r.id === id))
                    throw new HttpError(404, `product review ${id} not found`);
                const existing = p.conversations.find((c) => c.productReviewId === id);
                if (existing) return { status: 200, body: { conversationId: existing.id } };
                const conv: Conversation = { id: nextId(0xcc), productReviewId: id, comments: [] };
                p.conversations.push(conv);
                save();
                return { status: 201, body: { conversationId: conv.id } };
            }
        },
        {
            name: 'conversation.comment',
            method: 'POST',
            pattern: /^\/v1\/private\/conversations\/(?<id>[^/]+)\/comments$/,
            auth: 'bearer',
            handle: ({ params, body }) => {
                const conv = p.conversations.find((c) => c.id === params.id);
                if (!conv) throw new HttpError(404, `conversation ${params.id ?? ''} not found`);
                const b = objectBody(body);
                if (typeof b.content !== 'string' || b.content.trim() === '')
                    throw new HttpError(400, 'content is required');
                const comment = { id: nextId(0xcd), content: b.content, createdAt: now().toISOString() };
                conv.comments.push(comment);
                save();
                return { status: 201, body: comment };
            }
        },
        {
            name: 'conversation.get',
            method: 'GET',
            pattern: /^\/v1\/private\/conversations\/(?<id>[^/]+)$/,
            auth: 'bearer',
            handle: ({ params }) => {
                const conv = p.conversations.find((c) => c.id === params.id);
                if (!conv) throw new HttpError(404, `conversation ${params.id ?? ''} not found`);
                return { status: 200, body: conv };
            }
        },
        {
            name: 'invitations.create',
            method: 'POST',
            pattern: /^\/v1\/private\/business-units\/(?<buId>[^/]+)\/email-invitations$/,
            auth: 'bearer',
            handle: ({ req, params, body }) => {
                const bu = businessUnit(params.buId ?? '');
                const userHeader = req.headers['x-business-user-id'];
                if (userHeader !== undefined) checkBusinessUser(String(userHeader), 'x-business-user-id');
                const problems = validateEmailInvitation(body, TEMPLATES, CATALOGUE);
                if (problems.length) throw new HttpError(400, 'Invitation is not valid', problems);
                const b = body as Record<string, unknown>;
                const sendTimes = ['serviceReviewInvitation', 'productReviewInvitation']
                    .map((k) => (b[k] as Record<string, unknown> | undefined)?.preferredSendTime)
                    .filter((t): t is string => isUtcDateTime(t))
                    .map((t) => Date.parse(t.endsWith('Z') ? t : `${t}Z`));
                const sendAt = new Date(Math.max(now().getTime(), ...sendTimes));
                p.invitations.push({
                    id: nextId(0x1a),
                    businessUnitId: bu.id,
                    receivedAt: now().toISOString(),
                    status: 'queued',
                    sendAt: sendAt.toISOString(),
                    businessUserId: userHeader === undefined ? null : String(userHeader),
                    body: b
                });
                save();
                return { status: 202 };
            }
        },
        {
            name: 'templates.list',
            method: 'GET',
            pattern: /^\/v1\/private\/business-units\/(?<buId>[^/]+)\/templates$/,
            auth: 'bearer',
            handle: ({ params }) => {
                businessUnit(params.buId ?? '');
                return { status: 200, body: { templates: TEMPLATES } };
            }
        },
        {
            name: 'invitationLinks.create',
            method: 'POST',
            pattern: /^\/v1\/private\/business-units\/(?<buId>[^/]+)\/invitation-links$/,
            auth: 'bearer',
            handle: ({ params, body }) => {
                const bu = businessUnit(params.buId ?? '');
                const problems = validateInvitationLink(body);
                if (problems.length)
                    throw new HttpError(400, 'Invitation link request is not valid', problems);
                const id = nextId(0x11);
                const link: StoredLink = {
                    id,
                    kind: 'service',
                    businessUnitId: bu.id,
                    createdAt: now().toISOString(),
                    url: `https://www.trustpilot.com/evaluate-link/${id}`,
                    body: body as Record<string, unknown>
                };
                p.links.push(link);
                save();
                return { status: 200, body: { id, url: link.url } };
            }
        },
        {
            name: 'productInvitationLinks.create',
            method: 'POST',
            pattern: /^\/v1\/private\/product-reviews\/business-units\/(?<buId>[^/]+)\/invitation-links$/,
            auth: 'bearer',
            handle: ({ params, body }) => {
                const bu = businessUnit(params.buId ?? '');
                const b = objectBody(body);
                const problems: string[] = [];
                if (typeof b.referenceId !== 'string' || b.referenceId === '')
                    problems.push('referenceId is required');
                if (!Array.isArray(b.products) || b.products.length === 0)
                    problems.push('products must be a non-empty array');
                if (problems.length)
                    throw new HttpError(400, 'Product invitation link request is not valid', problems);
                const id = nextId(0x12);
                const link: StoredLink = {
                    id,
                    kind: 'product',
                    businessUnitId: bu.id,
                    createdAt: now().toISOString(),
                    url: `https://www.trustpilot.com/evaluate-product-link/${id}`,
                    body: b
                };
                p.links.push(link);
                save();
                return { status: 200, body: { reviewLinkId: id, reviewUrl: link.url } };
            }
        },
        {
            name: 'invitationData.delete',
            method: 'POST',
            pattern: /^\/v1\/private\/business-units\/(?<buId>[^/]+)\/invitation-data\/delete$/,
            auth: 'bearer',
            handle: ({ params, body }) => {
                businessUnit(params.buId ?? '');
                const b = objectBody(body);
                const emails = b.customerEmails;
                const olderThan = b.deleteOlderThan;
                if (emails === undefined && olderThan === undefined)
                    throw new HttpError(400, 'customerEmails or deleteOlderThan is required');
                if (
                    emails !== undefined &&
                    (!Array.isArray(emails) || emails.some((e) => typeof e !== 'string'))
                ) {
                    throw new HttpError(400, 'customerEmails must be an array of email addresses');
                }
                let cutoff: number | null = null;
                if (olderThan !== undefined) {
                    cutoff = typeof olderThan === 'string' ? Date.parse(olderThan) : NaN;
                    if (Number.isNaN(cutoff))
                        throw new HttpError(400, 'deleteOlderThan must be an ISO-8601 date-time');
                }
                const lower = new Set(((emails as string[] | undefined) ?? []).map((e) => e.toLowerCase()));
                const matches = (email: unknown, at: string) =>
                    (typeof email === 'string' && lower.has(email.toLowerCase())) ||
                    (cutoff !== null && Date.parse(at) < cutoff);
                p.invitations = p.invitations.filter((i) => !matches(i.body.consumerEmail, i.receivedAt));
                p.links = p.links.filter((l) => !matches(l.body.email, l.createdAt));
                save();
                return { status: 202 };
            }
        },
        // ---- simulator administration (not part of Trustpilot) ----
        {
            name: 'admin.summary',
            method: 'GET',
            pattern: /^\/_admin$/,
            auth: 'none',
            admin: true,
            handle: () => ({
                status: 200,
                body: {
                    businessUnit: {
                        id: seed.businessUnit.id,
                        domain: seed.businessUnit.name.identifying,
                        businessUserIds: seed.businessUnit.businessUserIds
                    },
                    now: now().toISOString(),
                    anchor: p.anchor,
                    catalogue: CATALOGUE,
                    templates: TEMPLATES,
                    counts: {
                        serviceReviews: serviceReviews().length,
                        productReviews: productReviews().length,
                        invitations: p.invitations.length,
                        links: p.links.length,
                        conversations: p.conversations.length,
                        requests: log.length,
                        faults: faults.length
                    },
                    routes: routes
                        .filter((r) => !r.admin)
                        .map((r) => `${r.name}  ${r.method} ${r.pattern.source}`)
                }
            })
        },
        {
            name: 'admin.stats',
            method: 'GET',
            pattern: /^\/_admin\/stats$/,
            auth: 'none',
            admin: true,
            handle: ({ query }) => {
                const days = Number(query.get('days') ?? '30');
                if (!Number.isFinite(days) || days < 0) throw new HttpError(400, 'days must be a number');
                return { status: 200, body: statsSince(days) };
            }
        },
        {
            name: 'admin.requests',
            method: 'GET',
            pattern: /^\/_admin\/requests$/,
            auth: 'none',
            admin: true,
            handle: ({ query }) => {
                const after = Number(query.get('after') ?? '0');
                const route = query.get('route');
                return {
                    status: 200,
                    body: {
                        requests: log.filter((e) => e.seq > after && (route === null || e.route === route))
                    }
                };
            }
        },
        {
            name: 'admin.requests.clear',
            method: 'DELETE',
            pattern: /^\/_admin\/requests$/,
            auth: 'none',
            admin: true,
            handle: () => {
                log.length = 0;
                return { status: 204 };
            }
        },
        {
            name: 'admin.faults',
            method: 'GET',
            pattern: /^\/_admin\/faults$/,
            auth: 'none',
            admin: true,
            handle: () => ({ status: 200, body: { faults } })
        },
        {
            name: 'admin.faults.add',
            method: 'POST',
            pattern: /^\/_admin\/faults$/,
            auth: 'none',
            admin: true,
            handle: ({ body }) => {
                const list = Array.isArray(body) ? body : [body];
                const names = new Set(routes.filter((r) => !r.admin).map((r) => r.name));
                const rules = list.map((raw): FaultRule => {
                    const r = objectBody(raw);
                    if (typeof r.route !== 'string' || (r.route !== '*' && !names.has(r.route))) {
                        throw new HttpError(400, `route must be * or one of: ${[...names].join(', ')}`);
                    }
                    if (
                        r.status !== undefined &&
                        (!Number.isInteger(r.status) ||
                            (r.status as number) < 400 ||
                            (r.status as number) > 599)
                    ) {
                        throw new HttpError(400, 'status must be an HTTP error status (400-599)');
                    }
                    if (r.status === undefined && r.delayMs === undefined && r.malformed !== true) {
                        throw new HttpError(400, 'a fault needs status, delayMs or malformed');
                    }
                    const times = r.times === undefined ? 1 : Number(r.times);
                    if (!Number.isInteger(times) || times < 0)
                        throw new HttpError(400, 'times must be a whole number (0 = until cleared)');
                    return {
                        route: r.route,
                        status: r.status as number | undefined,
                        retryAfter: r.retryAfter === undefined ? undefined : Number(r.retryAfter),
                        delayMs: r.delayMs === undefined ? undefined : Number(r.delayMs),
                        malformed: r.malformed === true,
                        times
                    };
                });
                faults.push(...rules);
                return { status: 201, body: { faults } };
            }
        },
        {
            name: 'admin.faults.clear',
            method: 'DELETE',
            pattern: /^\/_admin\/faults$/,
            auth: 'none',
            admin: true,
            handle: () => {
                faults.length = 0;
                return { status: 204 };
            }
        },
        {
            name: 'admin.invitations',
            method: 'GET',
            pattern: /^\/_admin\/invitations$/,
            auth: 'none',
            admin: true,
            handle: () => ({ status: 200, body: { invitations: p.invitations.map(invitationView) } })
        },
        {
            name: 'admin.links',
            method: 'GET',
            pattern: /^\/_admin\/links$/,
            auth: 'none',
            admin: true,
            handle: () => ({ status: 200, body: { links: p.links } })
        },
        {
            name: 'admin.replies',
            method: 'GET',
            pattern: /^\/_admin\/replies$/,
            auth: 'none',
            admin: true,
            handle: () => ({
                status: 200,
                body: {
                    replies: Object.entries(p.replies).map(([reviewId, reply]) => ({ reviewId, reply })),
                    conversations: p.conversations
                }
            })
        },
        {
            name: 'admin.reviews.add',
            method: 'POST',
            pattern: /^\/_admin\/reviews$/,
            auth: 'none',
            admin: true,
            handle: ({ body }) => {
                const b = objectBody(body);
                const stars = Number(b.stars ?? 5);
                if (!Number.isInteger(stars) || stars < 1 || stars > 5)
                    throw new HttpError(400, 'stars must be 1-5');
                const createdAt = now().toISOString();
                const consumer = {
                    id: nextId(0xc2),
                    displayName: typeof b.consumerName === 'string' ? b.consumerName : 'New Consumer'
                };
                const referenceId = typeof b.referenceId === 'string' ? b.referenceId : null;
                if (b.type === 'product') {
                    const product = CATALOGUE.find((c) => c.sku === b.sku);
                    if (!product)
                        throw new HttpError(
                            400,
                            `sku must be one of ${CATALOGUE.map((c) => c.sku).join(', ')}`
                        );
                    const review: ProductReview = {
                        id: nextId(0x9f),
                        stars,
                        content: typeof b.text === 'string' ? b.text : 'Works as described.',
                        language: typeof b.language === 'string' ? b.language : 'en',
                        product: { ...product },
                        consumer,
                        createdAt,
                        updatedAt: createdAt,
                        referenceId,
                        conversationId: null
                    };
                    p.addedProductReviews.unshift(review);
                    save();
                    return { status: 201, body: review };
                }
                const id = nextId(0x5f);
                const review: ServiceReview = {
                    id,
                    stars,
                    title: typeof b.title === 'string' ? b.title : 'New review',
                    text: typeof b.text === 'string' ? b.text : 'Thanks!',
                    language: typeof b.language === 'string' ? b.language : 'en',
                    createdAt,
                    updatedAt: createdAt,
                    isVerified: true,
                    consumer,
                    referenceId,
                    referralEmail: typeof b.email === 'string' ? b.email : null,
                    tags: [],
                    locationId: null,
                    links: [
                        { href: `https://www.trustpilot.com/reviews/${id}`, method: 'GET', rel: 'reviews' }
                    ]
                };
                p.addedServiceReviews.unshift(review);
                save();
                return { status: 201, body: review };
            }
        },
        {
            name: 'admin.clock',
            method: 'GET',
            pattern: /^\/_admin\/clock$/,
            auth: 'none',
            admin: true,
            handle: () => ({ status: 200, body: { now: now().toISOString(), offsetMs: p.clockOffsetMs } })
        },
        {
            name: 'admin.clock.set',
            method: 'POST',
            pattern: /^\/_admin\/clock$/,
            auth: 'none',
            admin: true,
            handle: ({ body }) => {
                const b = objectBody(body);
                if (typeof b.now === 'string' && !Number.isNaN(Date.parse(b.now)))
                    p.clockOffsetMs = Date.parse(b.now) - Date.now();
                else if (typeof b.advanceMs === 'number' && b.advanceMs >= 0) p.clockOffsetMs += b.advanceMs;
                else throw new HttpError(400, 'send {"now": ISO date-time} or {"advanceMs": n >= 0}');
                save();
                return { status: 200, body: { now: now().toISOString(), offsetMs: p.clockOffsetMs } };
            }
        },
        {
            name: 'admin.bgl.verify',
            method: 'POST',
            pattern: /^\/_admin\/bgl\/verify$/,
            auth: 'none',
            admin: true,
            handle: ({ body }) => {
                const b = objectBody(body);
                const input = typeof b.link === 'string' ? b.link : b.token;
                if (typeof input !== 'string' || input === '')
                    throw new HttpError(400, 'send {"link": ...} or {"token": ...}');
                const result = verifyBgl(input, p.bglKeys);
                return { status: result.ok ? 200 : 422, body: result };
            }
        },
        {
            name: 'admin.bgl.keys',
            method: 'PUT',
            pattern: /^\/_admin\/bgl\/keys$/,
            auth: 'none',
            admin: true,
            handle: ({ body }) => {
                const b = objectBody(body);
                const keys = {
                    encryptionKey: String(b.encryptionKey ?? ''),
                    authenticationKey: String(b.authenticationKey ?? '')
                };
                try {
                    checkKeys(keys);
                } catch (e) {
                    throw new HttpError(400, (e as Error).message);
                }
                p.bglKeys = keys;
                save();
                return { status: 204 };
            }
        },
        {
            name: 'admin.credentials',
            method: 'PUT',
            pattern: /^\/_admin\/credentials$/,
            auth: 'none',
            admin: true,
            handle: ({ body }) => {
                const b = objectBody(body);
                if (
                    typeof b.apiKey !== 'string' ||
                    !b.apiKey ||
                    typeof b.apiSecret !== 'string' ||
                    !b.apiSecret
                ) {
                    throw new HttpError(400, 'apiKey and apiSecret are required');
                }
                p.apiKey = b.apiKey;
                p.apiSecret = b.apiSecret;
                p.tokens = {};
                save();
                return { status: 204 };
            }
        },
        {
            name: 'admin.reset',
            method: 'POST',
            pattern: /^\/_admin\/reset$/,
            auth: 'none',
            admin: true,
            handle: () => {
                p = fresh();
                seed = buildSeed(new Date(p.anchor), p.seed);
                faults.length = 0;
                log.length = 0;
                save();
                return { status: 204 };
            }
        },
        {
            // What a consumer's browser opens: the verifier answers with the decrypted payload.
            name: 'bgl.evaluate',
            method: 'GET',
            pattern: /^\/evaluate-bgl\/(?<domain>[^/]+)$/,
            auth: 'none',
            handle: ({ req, params }) => {
                const url = `http://localhost${req.url ?? ''}`;
                const result = verifyBgl(url, p.bglKeys);
                if (result.ok && params.domain !== seed.businessUnit.name.identifying) {
                    return {
                        status: 404,
                        body: { ok: false, error: `unknown domain ${params.domain ?? ''}` }
                    };
                }
                return { status: result.ok ? 200 : 422, body: result };
            }
        }
    ];

    const authorize = (route: Route, req: IncomingMessage): HttpError | null => {
        if (route.auth === 'apikey') {
            if (req.headers.apikey !== p.apiKey)
                return new HttpError(401, 'Invalid or missing apikey header');
        } else if (route.auth === 'bearer') {
            const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
            const expiry = m?.[1] ? p.tokens[m[1]] : undefined;
            if (expiry === undefined) return new HttpError(401, 'Invalid or missing access token');
            if (expiry < now().getTime()) return new HttpError(401, 'Access token expired');
        }
        return null;
    };

    const takeFault = (route: Route): FaultRule | null => {
        const i = faults.findIndex((f) => f.route === route.name || f.route === '*');
        if (i < 0) return null;
        const rule = faults[i] as FaultRule;
        if (rule.times === 1) faults.splice(i, 1);
        else if (rule.times !== 0) faults[i] = { ...rule, times: (rule.times ?? 1) - 1 };
        return rule;
    };

    const readBody = async (req: IncomingMessage): Promise<unknown> => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req) {
            size += (chunk as Buffer).length;
            if (size > 5_000_000) throw new HttpError(413, 'body too large');
            chunks.push(chunk as Buffer);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (text === '') return null;
        const type = req.headers['content-type'] ?? '';
        if (type.includes('application/x-www-form-urlencoded'))
            return Object.fromEntries(new URLSearchParams(text));
        try {
            return JSON.parse(text);
        } catch {
            throw new HttpError(400, 'body is not valid JSON');
        }
    };

    const send = (res: ServerResponse, reply: Reply, malformed = false) => {
        const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
        if (reply.body === undefined) {
            res.writeHead(reply.status, headers).end();
            return;
        }
        let text = JSON.stringify(reply.body);
        // Cut the document in half and leave it unterminated: no JSON parser accepts it.
        if (malformed) text = `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}<html>`;
        res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(
            text
        );
    };

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
        const started = Date.now();
        // Local callers only, by name too (no DNS rebinding from a web page).
        if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(req.headers.host ?? '')) {
            res.writeHead(421, { 'content-type': 'application/json' }).end(
                '{"message":"local requests only"}'
            );
            return;
        }
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const method = req.method ?? 'GET';
        let route: Route | undefined;
        let params: Record<string, string> = {};
        for (const r of routes) {
            const m = r.pattern.exec(url.pathname);
            if (m && r.method === method) {
                route = r;
                params = { ...m.groups };
                break;
            }
        }
        let body: unknown = null;
        let reply: Reply;
        let faultName: string | null = null;
        let malformed = false;
        try {
            body = await readBody(req);
            if (!route) throw new HttpError(404, `no such endpoint: ${method} ${url.pathname}`);
            const fault = route.admin ? null : takeFault(route);
            if (fault) {
                faultName = [
                    fault.status,
                    fault.delayMs ? `slow ${fault.delayMs} ms` : '',
                    fault.malformed ? 'malformed' : ''
                ]
                    .filter(Boolean)
                    .join(' ');
                if (fault.delayMs) await sleep(fault.delayMs);
                malformed = fault.malformed === true;
            }
            if (fault?.status) {
                reply = {
                    status: fault.status,
                    body: { message: `Injected fault: HTTP ${fault.status}`, errorCode: fault.status },
                    headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}
                };
            } else {
                const denied = authorize(route, req);
                if (denied) throw denied;
                reply = await route.handle({ req, params, query: url.searchParams, body });
            }
        } catch (e) {
            if (e instanceof HttpError) {
                reply = {
                    status: e.status,
                    body: { message: e.message, ...(e.details ? { details: e.details } : {}) }
                };
            } else {
                reply = { status: 500, body: { message: `simulator error: ${(e as Error).message}` } };
            }
        }
        send(res, reply, malformed);
        if (route?.admin) return;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
            if (k === 'authorization' && typeof v === 'string') headers[k] = shorten(v);
            else if (k === 'apikey') headers[k] = v === p.apiKey ? '(valid)' : '(invalid)';
            else if (typeof v === 'string') headers[k] = v;
        }
        const formBody =
            route?.name === 'token' && body && typeof body === 'object'
                ? { grant_type: (body as Record<string, string>).grant_type }
                : body;
        log.push({
            seq: ++seq,
            at: now().toISOString(),
            method,
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            route: route?.name ?? 'unknown',
            headers,
            body: formBody,
            status: reply.status,
            fault: faultName,
            ms: Date.now() - started
        });
        if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    };

    const server = createServer((req, res) => {
        handle(req, res).catch((e: unknown) => {
            if (!res.headersSent) res.writeHead(500).end(String(e));
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    save();
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        server,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}
