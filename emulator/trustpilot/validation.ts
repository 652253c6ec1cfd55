/**
 * Request validation the way Trustpilot's Invitations API applies it: a list of problems, empty
 * when the request is acceptable. Messages name the offending field.
 */
import type { CatalogueProduct, Template } from './types.ts';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const LOCALE = /^[a-z]{2}-[A-Z]{2}$/;
/** ISO-8601 date-time in UTC: `2024-05-01T09:00:00`, optional fraction, optional `Z`. */
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z?$/;

export function isEmail(v: unknown): v is string {
    return typeof v === 'string' && v.length <= 254 && EMAIL.test(v);
}

export function isUtcDateTime(v: unknown): v is string {
    if (typeof v !== 'string' || !UTC_DATE_TIME.test(v)) return false;
    const d = new Date(v.endsWith('Z') ? v : `${v}Z`);
    // Reject dates that do not exist (2024-02-30) by round-tripping the calendar part.
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === v.slice(0, 19);
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireText(body: Record<string, unknown>, field: string, problems: string[]): void {
    const v = body[field];
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${field} is required`);
}

function checkOptional(
    body: Record<string, unknown>,
    field: string,
    test: (v: unknown) => boolean,
    what: string,
    problems: string[]
): void {
    const v = body[field];
    if (v !== undefined && v !== null && !test(v)) problems.push(`${field} ${what}`);
}

function checkLocale(body: Record<string, unknown>, problems: string[]): void {
    checkOptional(
        body,
        'locale',
        (v) => typeof v === 'string' && LOCALE.test(v),
        'must look like en-US',
        problems
    );
}

/** A required, well-formed email address. */
function requireEmail(body: Record<string, unknown>, field: string, problems: string[]): void {
    requireText(body, field, problems);
    const v = body[field];
    if (typeof v === 'string' && v.trim() !== '' && !isEmail(v))
        problems.push(`${field} is not a valid email address`);
}

function checkTemplate(
    section: Record<string, unknown>,
    prefix: string,
    templates: readonly Template[],
    problems: string[]
): void {
    const id = section.templateId;
    if (id !== undefined && id !== null && !templates.some((t) => t.id === id))
        problems.push(`${prefix}.templateId ${String(id)} does not exist`);
    const sendTime = section.preferredSendTime;
    if (sendTime !== undefined && sendTime !== null && !isUtcDateTime(sendTime)) {
        problems.push(
            `${prefix}.preferredSendTime must be a UTC ISO-8601 date-time such as 2024-05-01T09:00:00`
        );
    }
    checkOptional(
        section,
        'redirectUri',
        (v) => typeof v === 'string' && /^https?:\/\//.test(v),
        'must be an http(s) URL',
        problems
    );
}

function checkTags(v: unknown, field: string, problems: string[]): void {
    if (v === undefined || v === null) return;
    if (!Array.isArray(v) || v.some((t) => typeof t !== 'string'))
        problems.push(`${field} must be an array of strings`);
}

export function validateEmailInvitation(
    body: unknown,
    templates: readonly Template[],
    catalogue: readonly CatalogueProduct[]
): string[] {
    const problems: string[] = [];
    if (!isObject(body)) return ['body must be a JSON object'];
    requireEmail(body, 'consumerEmail', problems);
    requireText(body, 'consumerName', problems);
    requireText(body, 'referenceNumber', problems);
    checkLocale(body, problems);
    checkOptional(body, 'senderEmail', isEmail, 'is not a valid email address', problems);
    checkOptional(body, 'replyTo', isEmail, 'is not a valid email address', problems);
    checkOptional(body, 'type', (v) => v === 'email', 'must be "email"', problems);

    const service = body.serviceReviewInvitation;
    const product = body.productReviewInvitation;
    if (service === undefined && product === undefined) {
        problems.push('one of serviceReviewInvitation or productReviewInvitation is required');
    }
    if (service !== undefined) {
        if (!isObject(service)) problems.push('serviceReviewInvitation must be an object');
        else {
            checkTemplate(service, 'serviceReviewInvitation', templates, problems);
            checkTags(service.tags, 'serviceReviewInvitation.tags', problems);
        }
    }
    if (product !== undefined) {
        if (!isObject(product)) problems.push('productReviewInvitation must be an object');
        else {
            checkTemplate(product, 'productReviewInvitation', templates, problems);
            const hasProducts = product.products !== undefined;
            const hasSkus = product.productSkus !== undefined;
            if (hasProducts && hasSkus)
                problems.push('productReviewInvitation: send either products or productSkus, not both');
            else if (!hasProducts && !hasSkus)
                problems.push('productReviewInvitation needs products or productSkus');
            if (hasSkus) {
                const skus = product.productSkus;
                if (
                    !Array.isArray(skus) ||
                    skus.length === 0 ||
                    skus.some((s) => typeof s !== 'string' || s === '')
                ) {
                    problems.push('productReviewInvitation.productSkus must be a non-empty array of SKUs');
                } else {
                    const unknown = (skus as string[]).filter((s) => !catalogue.some((p) => p.sku === s));
                    if (unknown.length)
                        problems.push(
                            `productReviewInvitation.productSkus not in the product catalogue: ${unknown.join(', ')}`
                        );
                }
            }
            if (hasProducts) {
                const list = product.products;
                if (!Array.isArray(list) || list.length === 0)
                    problems.push('productReviewInvitation.products must be a non-empty array');
                else {
                    list.forEach((p, i) => {
                        if (
                            !isObject(p) ||
                            typeof p.sku !== 'string' ||
                            p.sku === '' ||
                            typeof p.name !== 'string' ||
                            p.name === ''
                        ) {
                            problems.push(`productReviewInvitation.products[${i}] needs sku and name`);
                        }
                    });
                }
            }
        }
    }
    return problems;
}

export function validateInvitationLink(body: unknown): string[] {
    const problems: string[] = [];
    if (!isObject(body)) return ['body must be a JSON object'];
    requireText(body, 'referenceId', problems);
    requireEmail(body, 'email', problems);
    requireText(body, 'name', problems);
    checkLocale(body, problems);
    checkTags(body.tags, 'tags', problems);
    checkOptional(
        body,
        'redirectUri',
        (v) => typeof v === 'string' && /^https?:\/\//.test(v),
        'must be an http(s) URL',
        problems
    );
    return problems;
}
