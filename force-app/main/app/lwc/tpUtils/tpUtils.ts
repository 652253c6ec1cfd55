/**
 * Shared helpers for the Trustpilot components: error text, label formatting, dates.
 * A service component (no template), imported as `c/tpUtils`.
 */

/** The shapes an error takes when it reaches a component (Apex, UI API, JS). */
interface ErrorBody {
    message?: string;
    pageErrors?: { message: string }[];
    fieldErrors?: Record<string, { message: string }[]>;
    output?: { errors?: { message: string }[] };
}
interface PlatformError {
    body?: ErrorBody | ErrorBody[];
    message?: string;
    statusText?: string;
}

function messagesOfBody(body: ErrorBody): string[] {
    const out: string[] = [];
    if (body.pageErrors) {
        out.push(...body.pageErrors.map((e) => e.message));
    }
    if (body.fieldErrors) {
        for (const list of Object.values(body.fieldErrors)) {
            out.push(...list.map((e) => e.message));
        }
    }
    if (body.output?.errors) {
        out.push(...body.output.errors.map((e) => e.message));
    }
    if (typeof body.message === 'string' && body.message.length > 0) {
        out.push(body.message);
    }
    return out;
}

/**
 * Every readable message carried by one error or a list of errors (Apex AuraHandledException,
 * UI API record errors, fetch errors, JS errors), without duplicates.
 */
export function reduceErrors(errors: unknown): string[] {
    const list: unknown[] = Array.isArray(errors) ? errors : [errors];
    const out: string[] = [];
    for (const item of list) {
        if (item === null || item === undefined) {
            continue;
        }
        if (typeof item === 'string') {
            out.push(item);
            continue;
        }
        const error = item as PlatformError;
        if (Array.isArray(error.body)) {
            for (const b of error.body) {
                out.push(...messagesOfBody(b));
            }
        } else if (error.body && typeof error.body === 'object') {
            out.push(...messagesOfBody(error.body));
        } else if (typeof error.message === 'string') {
            out.push(error.message);
        } else if (typeof error.statusText === 'string') {
            out.push(error.statusText);
        }
    }
    return [...new Set(out.filter((m) => m.length > 0))];
}

/** One line for an error, or the fallback text when the error carries no message. */
export function errorText(error: unknown, fallback: string): string {
    const messages = reduceErrors(error);
    return messages.length > 0 ? messages.join(' ') : fallback;
}

/** Replaces `{0}`, `{1}`, ... in a custom label with the arguments. */
export function formatLabel(label: string, ...args: (string | number | null | undefined)[]): string {
    return label.replace(/\{(\d+)\}/g, (_match: string, index: string) => {
        const value = args[Number(index)];
        return value === undefined || value === null ? '' : String(value);
    });
}

/**
 * A count in a sentence: the `one` label when the count is exactly 1, otherwise `other` (both with `{0}`).
 * Custom labels have no plural forms, so each counted phrase has a singular and a plural label.
 */
export function formatCount(count: number, one: string, other: string): string {
    return formatLabel(count === 1 ? one : other, count);
}

/** True when the text is base64 that decodes to exactly `bytes` bytes. */
export function isBase64OfLength(text: string | null | undefined, bytes: number): boolean {
    if (typeof text !== 'string') {
        return false;
    }
    const value = text.trim();
    if (value.length === 0 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
        return false;
    }
    const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
    return (value.length / 4) * 3 - padding === bytes;
}

/** A class with the platform's static `open(config)` (LightningModal and LightningConfirm subclasses). */
interface Openable<R> {
    open(config: Record<string, unknown>): Promise<R>;
}

/**
 * Opens a modal (`lightning/modal` subclass or `lightning/confirm`) and resolves with what it closed
 * with. The shipped type definitions omit the static `open`, hence the one typed cast here.
 */
export function openModal<R>(modal: unknown, config: Record<string, unknown>): Promise<R | undefined> {
    return (modal as Openable<R | undefined>).open(config);
}

/** Asks for confirmation with `lightning/confirm`; true only when the user confirmed. */
export async function confirmAction(
    confirm: unknown,
    message: string,
    label: string,
    theme: 'warning' | 'error' | 'default' = 'warning'
): Promise<boolean> {
    const result = await openModal<boolean>(confirm, { message, label, theme });
    return result === true;
}
