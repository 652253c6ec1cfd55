/**
 * Business Generated Link verifier: what Trustpilot does when a consumer opens
 * `https://www.trustpilot.com/evaluate-bgl/{domain}?p={token}`.
 *
 * token = base64(IV ‖ CT ‖ MAC), URL-encoded; CT = AES-256-CBC(encryptionKey, IV, JSON) with
 * PKCS7 padding; MAC = HMAC-SHA256(authenticationKey, IV ‖ CT). The MAC is checked (in constant
 * time) before anything is decrypted.
 */
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

export interface BglKeys {
    /** base64, 32 bytes decoded */
    encryptionKey: string;
    /** base64, 32 bytes decoded */
    authenticationKey: string;
}

export interface BglPayload {
    email: string;
    name: string;
    ref: string;
    skus?: string[];
    tags?: string[];
    [key: string]: unknown;
}

export type BglResult =
    | { ok: true; payload: BglPayload; domain: string | null }
    | { ok: false; error: string };

const IV_BYTES = 16;
const MAC_BYTES = 32;

function decodeKey(name: string, value: string): Buffer {
    const key = Buffer.from(value, 'base64');
    if (key.length !== 32)
        throw new Error(`${name} must be 32 bytes once base64-decoded (got ${key.length})`);
    return key;
}

/** Validates both keys; throws with a clear message when one is not 32 bytes of base64. */
export function checkKeys(keys: BglKeys): void {
    decodeKey('encryptionKey', keys.encryptionKey);
    decodeKey('authenticationKey', keys.authenticationKey);
}

/**
 * Accepts a whole link, a URL-encoded token, or a raw base64 token. A `+` turned into a space by a
 * careless decoder is put back, because base64 never contains spaces.
 */
export function extractToken(input: string): { token: string; domain: string | null } {
    const trimmed = input.trim();
    if (/^https?:\/\//i.test(trimmed)) {
        const url = new URL(trimmed);
        const p = url.searchParams.get('p');
        if (p === null) throw new Error('link has no p parameter');
        const m = /\/evaluate-bgl\/([^/?#]+)/.exec(url.pathname);
        return { token: p.replace(/ /g, '+'), domain: m?.[1] ? decodeURIComponent(m[1]) : null };
    }
    const token = trimmed.includes('%') ? decodeURIComponent(trimmed) : trimmed;
    return { token: token.replace(/ /g, '+'), domain: null };
}

export function verifyBgl(input: string, keys: BglKeys): BglResult {
    let token: string;
    let domain: string | null;
    let encKey: Buffer;
    let authKey: Buffer;
    try {
        ({ token, domain } = extractToken(input));
        encKey = decodeKey('encryptionKey', keys.encryptionKey);
        authKey = decodeKey('authenticationKey', keys.authenticationKey);
    } catch (e) {
        return { ok: false, error: (e as Error).message };
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) {
        return { ok: false, error: 'token is not standard padded base64' };
    }
    const raw = Buffer.from(token, 'base64');
    const ctLength = raw.length - IV_BYTES - MAC_BYTES;
    if (ctLength < 16 || ctLength % 16 !== 0) {
        return { ok: false, error: `token has ${raw.length} bytes: not IV(16) + AES blocks + MAC(32)` };
    }
    const ivAndCt = raw.subarray(0, IV_BYTES + ctLength);
    const mac = raw.subarray(IV_BYTES + ctLength);
    const expected = createHmac('sha256', authKey).update(ivAndCt).digest();
    if (!timingSafeEqual(mac, expected)) {
        return {
            ok: false,
            error: 'MAC mismatch: wrong authentication key, or MAC not computed over IV ‖ CT'
        };
    }
    let json: string;
    try {
        const decipher = createDecipheriv('aes-256-cbc', encKey, raw.subarray(0, IV_BYTES));
        json = Buffer.concat([
            decipher.update(raw.subarray(IV_BYTES, IV_BYTES + ctLength)),
            decipher.final()
        ]).toString('utf8');
    } catch {
        return { ok: false, error: 'decryption failed: wrong encryption key or bad padding' };
    }
    let payload: unknown;
    try {
        payload = JSON.parse(json);
    } catch {
        return { ok: false, error: 'decrypted payload is not JSON' };
    }
    const problem = payloadProblem(payload);
    if (problem) return { ok: false, error: problem };
    return { ok: true, payload: payload as BglPayload, domain };
}

function payloadProblem(payload: unknown): string | null {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        return 'payload is not a JSON object';
    const p = payload as Record<string, unknown>;
    for (const field of ['email', 'name', 'ref']) {
        if (typeof p[field] !== 'string' || (p[field] as string).trim() === '')
            return `payload.${field} is required`;
    }
    for (const field of ['skus', 'tags']) {
        const v = p[field];
        if (v === undefined) continue;
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
            return `payload.${field} must be an array of strings`;
    }
    if (Array.isArray(p.tags) && (p.tags as string[]).some((t) => /\s/.test(t) || t === '')) {
        return 'payload.tags must not contain spaces or empty tags';
    }
    return null;
}
