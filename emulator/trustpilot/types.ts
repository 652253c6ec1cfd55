/** Shapes the Trustpilot simulator stores and serves (see docs of the real APIs in README.md). */

export interface Consumer {
    id: string;
    displayName: string;
    displayLocation?: string;
}

export interface CompanyReply {
    text: string;
    createdAt: string;
    authorBusinessUserId: string;
}

export interface ServiceReview {
    id: string;
    stars: number;
    title: string;
    text: string;
    language: string;
    createdAt: string;
    updatedAt: string;
    isVerified: boolean;
    consumer: Consumer;
    companyReply?: CompanyReply;
    referenceId: string | null;
    referralEmail: string | null;
    tags: { group: string; value: string }[];
    locationId: string | null;
    links: { href: string; method: string; rel: string }[];
}

export interface ProductReview {
    id: string;
    stars: number;
    content: string;
    language: string;
    product: { sku: string; name: string; productUrl: string };
    consumer: Consumer;
    createdAt: string;
    updatedAt: string;
    referenceId: string | null;
    conversationId: string | null;
}

export interface Comment {
    id: string;
    content: string;
    createdAt: string;
}

export interface Conversation {
    id: string;
    productReviewId: string;
    comments: Comment[];
}

export interface BusinessUnit {
    id: string;
    displayName: string;
    name: { identifying: string; referring: string[] };
    websiteUrl: string;
    country: string;
    status: string;
    /** Simulator-only: the business users allowed to author replies and send invitations. */
    businessUserIds: string[];
}

export interface CatalogueProduct {
    sku: string;
    name: string;
    productUrl: string;
}

export interface Template {
    id: string;
    name: string;
    locale: string;
    isDefaultTemplate: boolean;
    type: string;
}

/** An accepted email invitation as the simulator keeps it. */
export interface StoredInvitation {
    id: string;
    businessUnitId: string;
    receivedAt: string;
    /** `queued` until its preferred send time has passed, then `sent`. */
    status: 'queued' | 'sent';
    sendAt: string;
    businessUserId: string | null;
    body: Record<string, unknown>;
}

export interface StoredLink {
    id: string;
    kind: 'service' | 'product';
    businessUnitId: string;
    createdAt: string;
    url: string;
    body: Record<string, unknown>;
}

export interface LogEntry {
    seq: number;
    at: string;
    method: string;
    path: string;
    query: Record<string, string>;
    route: string;
    /** Header names lower-cased; the bearer/basic credential is shortened, never logged whole. */
    headers: Record<string, string>;
    body: unknown;
    status: number;
    fault: string | null;
    ms: number;
}

/** One queued fault: consumed by the next matching request(s). */
export interface FaultRule {
    /** A route name (see ROUTES in server.ts) or `*` for every API route. */
    route: string;
    /** HTTP status to answer instead of the real response (omit for slow / malformed only). */
    status?: number;
    /** Seconds for the `Retry-After` header (429 and 503). */
    retryAfter?: number;
    /** Delay before answering, in milliseconds. */
    delayMs?: number;
    /** Answer 200 with a body that is not valid JSON. */
    malformed?: boolean;
    /** How many requests this rule applies to (default 1; 0 = until cleared). */
    times?: number;
}
