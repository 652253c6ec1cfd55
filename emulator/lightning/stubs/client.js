/**
 * Browser side of the preview's org stand-ins: the session (user, permissions) the server put on the
 * page, calls to the preview server, and the `@salesforce/apex` method modules.
 */

/** Set by /api/session.js before the app loads. */
export const session = globalThis.__PREVIEW_SESSION__ ?? { user: {}, permissions: [] };

/** The platform's error shape for a failed server call: `{status, body: {message, ...}}`. */
function platformError(status, body) {
    const error = new Error(body?.message ?? `HTTP ${status}`);
    return Object.assign(error, {
        status,
        ok: false,
        statusText: body?.message ?? '',
        body: body ?? { message: `HTTP ${status}` }
    });
}

/** POSTs JSON to the preview server; resolves with the answer or rejects with the platform error shape. */
export async function post(path, payload) {
    let res;
    try {
        res = await fetch(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(payload ?? {})
        });
    } catch (e) {
        throw platformError(0, { message: `The preview server is not reachable (${e.message}).` });
    }
    const text = await res.text();
    let body = null;
    try {
        body = text ? JSON.parse(text) : null;
    } catch {
        body = { message: text };
    }
    if (!res.ok) throw platformError(res.status, body);
    window.dispatchEvent(new CustomEvent('preview:servercall'));
    return body;
}

/** Values handed to wired properties, mapped to the adapter that produced them (for refreshApex). */
export const wiredValues = new WeakMap();

/**
 * A wire adapter class over an async fetch function. Emits `{data, error}` like the platform; the
 * emitted object can be handed to `refreshApex` / `refresh` to fetch again.
 */
export function makeWireAdapter(fetchData, isReady = () => true) {
    return class PreviewWireAdapter {
        constructor(dataCallback) {
            this.dataCallback = dataCallback;
            this.config = undefined;
            this.connected = false;
            this.generation = 0;
        }
        connect() {
            this.connected = true;
            if (this.config !== undefined) this.fetch();
        }
        disconnect() {
            this.connected = false;
        }
        update(config) {
            this.config = config;
            if (this.connected) this.fetch();
        }
        fetch() {
            const generation = ++this.generation;
            if (!isReady(this.config ?? {})) return Promise.resolve();
            return fetchData(this.config ?? {}).then(
                (data) => this.emit(generation, { data, error: undefined }),
                (error) => this.emit(generation, { data: undefined, error })
            );
        }
        emit(generation, value) {
            if (generation !== this.generation || !this.connected) return;
            wiredValues.set(value, this);
            this.dataCallback(value);
        }
    };
}

/** `import method from '@salesforce/apex/Class.method'`: callable, and usable with `@wire`. */
export function apexMethod(classname, method) {
    const call = (params) =>
        post('/api/apex', { classname, method, params: params ?? {} }).then((r) => r.returnValue);
    const fn = (params) => call(params);
    fn.adapter = makeWireAdapter((config) => call(config));
    return fn;
}
