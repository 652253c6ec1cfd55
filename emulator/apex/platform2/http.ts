/**
 * Callouts: HttpRequest, HttpResponse, Http.send, Test.setMock, and ConnectApi.NamedCredentials for the
 * credentials of External Credentials.
 *
 * In tests, "Apex test methods don't support callouts ... use Test.setMock to ... a mock response"
 * (Apex Developer Guide, "Testing HTTP Callouts"): without a mock, Http.send throws CalloutException
 * "Methods defined as TestMethod do not support Web service callouts".
 * Outside tests, a `callout:Name/path` endpoint is resolved like the platform does for a Named Credential
 * (Apex Developer Guide, "Named Credentials as Callout Endpoints"): the base URL of the Named Credential,
 * then for an OAuth client-credentials External Credential a token from its token URL sent as
 * `Authorization: Bearer`, for a Custom one its AuthHeader parameters with `{!$Credential.X.Y}` filled
 * in. The base URLs are rewritten to local ones (the Trustpilot simulator) by `APEX_CALLOUT_REWRITE`, a
 * JSON map of URL prefixes, or `setCalloutRewrite`.
 * Limits (Apex Developer Guide, "Callout Limits and Limitations",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_callouts_timeouts.htm):
 * - "A single Apex transaction can make a maximum of 100 callouts to an HTTP request or an API call."
 * - "The default timeout is 10 seconds. A custom timeout can be defined for each callout. The minimum is
 *   1 millisecond and the maximum is 120,000 milliseconds." A value outside that range fails at
 *   setTimeout (the message is ours: the page does not give one).
 * - "The maximum cumulative timeout for callouts by a single Apex transaction is 120 seconds. This time
 *   is additive across all callouts invoked by the Apex transaction." Real callouts add the time they
 *   took to `ctx.limits.calloutTime`; each one is aborted at min(its timeout, what is left of the 120 s).
 *   A callout that reaches its own timeout throws `CalloutException: Read timed out`; one cut short by
 *   the transaction's budget (or started with none left) throws
 *   `CalloutException: Exceeded maximum time allotted for callout (120000 ms)`. Neither message is on
 *   the page: both are inferred from what orgs report (checked by platform2/callout-timeout.test.ts).
 * - A mock (Test.setMock) takes no time: mock callouts count toward the 100 but not toward the 120 s.
 * - "You have uncommitted work pending. Please commit or rollback before calling out" after DML in the
 *   same transaction.
 */
import { execFileSync } from 'node:child_process';
import type { ApexContext } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexList, ApexMap, Blob, EnumValue, NativeObject, T, TypeToken } from '../runtime/values.js';
import { sideOf } from '../data/index.js';

/** "The default timeout is 10 seconds." */
export const DEFAULT_CALLOUT_TIMEOUT_MS = 10000;
/** "The maximum cumulative timeout for callouts by a single Apex transaction is 120 seconds." */
export const MAX_CALLOUT_TIME_MS = 120000;
const READ_TIMED_OUT = 'Read timed out';
const BUDGET_EXCEEDED = `Exceeded maximum time allotted for callout (${MAX_CALLOUT_TIME_MS} ms)`;

interface ReqState {
    method: string;
    endpoint: string;
    headers: Map<string, { name: string; value: string }>;
    body: Uint8Array | null;
    timeout: number;
    compressed: boolean;
    toString(): string;
}

interface ResState {
    status: number;
    statusText: string;
    headers: Map<string, { name: string; value: string }>;
    body: Uint8Array | null;
    toString(): string;
}

function newRequest(): NativeObject<ReqState> {
    const s: ReqState = {
        method: '',
        endpoint: '',
        headers: new Map(),
        body: null,
        timeout: DEFAULT_CALLOUT_TIMEOUT_MS,
        compressed: false,
        toString: () => `System.HttpRequest[Endpoint=${s.endpoint}, Method=${s.method}]`
    };
    return new NativeObject('httprequest', s);
}

function newResponse(): NativeObject<ResState> {
    const s: ResState = {
        status: 0,
        statusText: '',
        headers: new Map(),
        body: null,
        toString: () => `System.HttpResponse[Status=${s.statusText}, StatusCode=${s.status}]`
    };
    return new NativeObject('httpresponse', s);
}

const req = (s: unknown) => (s as NativeObject<ReqState>).state;
const res = (s: unknown) => (s as NativeObject<ResState>).state;
const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Canonical reason phrases for a status code set without setStatus. */
const REASONS: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    202: 'Accepted',
    204: 'No Content',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout'
};

// -------------------------------------------------------------------------------- local config

let rewrite: Record<string, string> | null = null;
/** Maps URL prefixes (e.g. https://api.trustpilot.com) to local ones (http://127.0.0.1:4010). */
export function setCalloutRewrite(map: Record<string, string> | null): void {
    rewrite = map;
}
function rewriteUrl(url: string): string {
    const map =
        rewrite ??
        (process.env.APEX_CALLOUT_REWRITE
            ? (JSON.parse(process.env.APEX_CALLOUT_REWRITE) as Record<string, string>)
            : {});
    const keys = Object.keys(map).sort((a, b) => b.length - a.length);
    for (const k of keys) if (url.startsWith(k)) return map[k] + url.slice(k.length);
    throw new ApexError(
        'CalloutException',
        `Unable to tunnel through proxy: no local endpoint configured for ${url} (set APEX_CALLOUT_REWRITE)`
    );
}

/** Credentials stored through ConnectApi.NamedCredentials: "<externalCredential>/<principal>" → values. */
const credentials = new Map<string, { protocol: string; values: Map<string, string> }>();
const tokens = new Map<string, { token: string; expires: number }>();

/** One stored credential: "<externalCredential>/<principal>" (lower case), protocol, parameter values. */
export interface StoredCredential {
    key: string;
    protocol: string;
    values: [string, string][];
}

/**
 * The credentials stored so far, for a host that keeps its org across restarts (the platform keeps
 * them in the External Credential's principal). The values are secrets: never log or serve them.
 */
export function storedCredentials(): StoredCredential[] {
    return [...credentials].map(([key, c]) => ({ key, protocol: c.protocol, values: [...c.values] }));
}

/** Replaces the stored credentials with saved ones (the inverse of storedCredentials). */
export function restoreCredentials(saved: readonly StoredCredential[]): void {
    credentials.clear();
    tokens.clear();
    for (const c of saved) credentials.set(c.key, { protocol: c.protocol, values: new Map(c.values) });
}

// -------------------------------------------------------------------------------- HTTP (sync)

interface WireResponse {
    status: number;
    statusText: string;
    headers: [string, string][];
    body: string;
}

// The request runs in a child process (Apex callouts are synchronous; this process must block). The child
// times only the HTTP exchange, so process start-up is not charged to the transaction's callout time.
const CHILD = `
let d='';process.stdin.on('data',c=>d+=c).on('end',async()=>{const r=JSON.parse(d);
const ac=new AbortController();const t0=performance.now();const t=setTimeout(()=>ac.abort(),r.timeout);
const out=(o)=>process.stdout.write(JSON.stringify({...o,elapsed:performance.now()-t0}));
try{const res=await fetch(r.url,{method:r.method,headers:r.headers,body:r.body===null?undefined:Buffer.from(r.body,'base64'),signal:ac.signal});
const buf=Buffer.from(await res.arrayBuffer());out({status:res.status,statusText:res.statusText,headers:[...res.headers.entries()],body:buf.toString('base64')});}
catch(e){out({error:e.name==='AbortError'?'timeout':String(e.cause?.code||e.message)});}
finally{clearTimeout(t);}});`;

/**
 * One HTTP exchange within the transaction's callout time: aborted at min(timeout, time left of the
 * 120 s), the time it took added to `ctx.limits.calloutTime`.
 */
function wire(
    ctx: ApexContext,
    method: string,
    url: string,
    headers: Record<string, string>,
    body: Uint8Array | null,
    timeout: number
): WireResponse {
    const left = MAX_CALLOUT_TIME_MS - ctx.limits.calloutTime;
    if (left <= 0) throw new ApexError('CalloutException', BUDGET_EXCEEDED);
    const budgetBound = left < timeout;
    const abortAt = Math.max(1, Math.floor(budgetBound ? left : timeout));
    const out = execFileSync(process.execPath, ['-e', CHILD], {
        input: JSON.stringify({
            method,
            url,
            headers,
            body: body ? Buffer.from(body).toString('base64') : null,
            timeout: abortAt
        }),
        timeout: abortAt + 10000,
        maxBuffer: 64 * 1024 * 1024
    });
    const r = JSON.parse(out.toString('utf8')) as WireResponse & { error?: string; elapsed: number };
    ctx.limits.calloutTime = Math.min(
        MAX_CALLOUT_TIME_MS,
        ctx.limits.calloutTime + Math.max(1, Math.round(r.elapsed))
    );
    if (r.error === 'timeout')
        throw new ApexError('CalloutException', budgetBound ? BUDGET_EXCEEDED : READ_TIMED_OUT);
    if (r.error) throw new ApexError('CalloutException', r.error);
    return { ...r, body: Buffer.from(r.body, 'base64').toString('latin1') };
}

function namedCredentialCall(
    ctx: ApexContext,
    r: ReqState
): { url: string; headers: Record<string, string> } {
    const m = /^callout:([A-Za-z0-9_]+)(.*)$/.exec(r.endpoint);
    const headers: Record<string, string> = {};
    for (const h of r.headers.values()) headers[h.name] = h.value;
    if (!m) return { url: rewriteUrl(r.endpoint), headers };
    const schema = sideOf(ctx).schema;
    const nc = schema.namedCredentials.get(m[1].toLowerCase());
    if (!nc)
        throw new ApexError(
            'CalloutException',
            `We couldn't access the credential(s). You might not have the required permissions, or the external credential "${m[1]}" might not exist.`
        );
    const url = rewriteUrl(nc.endpoint + m[2]);
    const ext = nc.externalCredential
        ? schema.externalCredentials.get(nc.externalCredential.toLowerCase())
        : undefined;
    if (!ext) return { url, headers };
    const principal = ext.params.find((p) => p.type === 'NamedPrincipal')?.name ?? '';
    const cred = credentials.get(`${ext.name}/${principal}`.toLowerCase());
    if (ext.protocol.toLowerCase() === 'oauth') {
        if (!cred)
            throw new ApexError(
                'CalloutException',
                `We couldn't access the credential(s). You might not have the required permissions, or the external credential "${ext.name}" might not exist.`
            );
        const key = `${ext.name}/${principal}`.toLowerCase();
        let tok = tokens.get(key);
        // The token's lifetime runs on the org's clock (the local simulator follows it when it is advanced).
        if (!tok || tok.expires < ctx.now()) {
            const tokenUrl = ext.params.find((p) => p.type === 'AuthProviderUrl')?.value ?? '';
            const id = cred.values.get('clientid') ?? '';
            const secret = cred.values.get('clientsecret') ?? '';
            const resp = wire(
                ctx,
                'POST',
                rewriteUrl(tokenUrl),
                {
                    'Content-Type': 'application/x-www-form-urlencoded',
                    Authorization: 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64')
                },
                new Uint8Array(Buffer.from('grant_type=client_credentials')),
                DEFAULT_CALLOUT_TIMEOUT_MS
            );
            if (resp.status !== 200)
                throw new ApexError(
                    'CalloutException',
                    `OAuth token request failed with status ${resp.status}`
                );
            const j = JSON.parse(resp.body) as { access_token?: string; expires_in?: number | string };
            tok = {
                token: j.access_token ?? '',
                expires: ctx.now() + Number(j.expires_in ?? 3600) * 1000 - 60000
            };
            tokens.set(key, tok);
        }
        headers.Authorization = `Bearer ${tok.token}`;
    } else {
        for (const p of ext.params.filter((x) => x.type === 'AuthHeader')) {
            headers[p.name] = p.value.replace(
                /\{!\$Credential\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\}/g,
                (_, _ec: string, field: string) => cred?.values.get(field.toLowerCase()) ?? ''
            );
        }
    }
    return { url, headers };
}

// -------------------------------------------------------------------------------- send

function send(ctx: ApexContext, request: unknown): unknown {
    if (request === null || request === undefined)
        throw new ApexError('NullPointerException', 'Argument cannot be null');
    const r = req(request);
    const side = sideOf(ctx);
    if (!r.endpoint) throw new ApexError('CalloutException', 'Endpoint URL is not set');
    if (!r.method) throw new ApexError('CalloutException', 'Method is not set');
    if (side.hasUncommittedWork(ctx))
        throw new ApexError(
            'CalloutException',
            'You have uncommitted work pending. Please commit or rollback before calling out'
        );
    if (side.calloutsForbidden) throw new ApexError('CalloutException', side.calloutsForbidden);
    if (++ctx.limits.callouts > 100)
        throw new ApexError('LimitException', `Too many callouts: ${ctx.limits.callouts}`);
    if (ctx.test.running) {
        const mock = ctx.test.mocks.get('httpcalloutmock');
        if (!mock)
            throw new ApexError(
                'CalloutException',
                'Methods defined as TestMethod do not support Web service callouts'
            );
        const out = ctx.invokeMethod(mock, 'respond', [request]);
        if (out === null || out === undefined)
            throw new ApexError('CalloutException', 'The mock returned a null HttpResponse');
        return out;
    }
    const call = namedCredentialCall(ctx, r);
    const w = wire(ctx, r.method, call.url, call.headers, r.body, r.timeout);
    const resp = newResponse();
    const s = res(resp);
    s.status = w.status;
    s.statusText = w.statusText || REASONS[w.status] || '';
    for (const [k, v] of w.headers) s.headers.set(k.toLowerCase(), { name: k, value: v });
    s.body = new Uint8Array(Buffer.from(w.body, 'latin1'));
    return resp;
}

// -------------------------------------------------------------------------------- install

export function installHttp(r: NativeRegistry): void {
    r.register({
        name: 'HttpRequest',
        constructors: { '0': () => newRequest() },
        methods: {
            setendpoint: (_c, s, [v]) => {
                req(s).endpoint = String(v ?? '');
                return null;
            },
            getendpoint: (_c, s) => req(s).endpoint || null,
            setmethod: (_c, s, [v]) => {
                req(s).method = String(v ?? '').toUpperCase();
                return null;
            },
            getmethod: (_c, s) => req(s).method || null,
            setheader: (_c, s, [k, v]) => {
                if (k === null || k === undefined)
                    throw new ApexError('NullPointerException', 'Argument cannot be null');
                req(s).headers.set(String(k).toLowerCase(), { name: String(k), value: String(v ?? '') });
                return null;
            },
            getheader: (_c, s, [k]) => req(s).headers.get(String(k).toLowerCase())?.value ?? null,
            setbody: (_c, s, [v]) => {
                req(s).body = v === null ? null : new Uint8Array(Buffer.from(String(v), 'utf8'));
                return null;
            },
            getbody: (_c, s) => text(req(s).body),
            setbodyasblob: (_c, s, [b]) => {
                req(s).body = b instanceof Blob ? b.bytes : null;
                return null;
            },
            getbodyasblob: (_c, s) => (req(s).body ? new Blob(req(s).body!) : null),
            settimeout: (_c, s, [v]) => {
                if (v === null || v === undefined)
                    throw new ApexError('NullPointerException', 'Argument cannot be null');
                const t = v as number;
                if (t < 1 || t > MAX_CALLOUT_TIME_MS)
                    throw new ApexError(
                        'CalloutException',
                        'Timeout value must be between 1 and 120000 milliseconds'
                    );
                req(s).timeout = t;
                return null;
            },
            setcompressed: (_c, s, [v]) => {
                req(s).compressed = v === true;
                return null;
            },
            getcompressed: (_c, s) => req(s).compressed,
            tostring: (_c, s) => req(s).toString()
        }
    });
    r.register({
        name: 'HttpResponse',
        constructors: { '0': () => newResponse() },
        methods: {
            setstatuscode: (_c, s, [v]) => {
                res(s).status = v as number;
                if (!res(s).statusText) res(s).statusText = REASONS[v as number] ?? '';
                return null;
            },
            getstatuscode: (_c, s) => res(s).status,
            setstatus: (_c, s, [v]) => {
                res(s).statusText = String(v ?? '');
                return null;
            },
            getstatus: (_c, s) => res(s).statusText || null,
            setheader: (_c, s, [k, v]) => {
                res(s).headers.set(String(k).toLowerCase(), { name: String(k), value: String(v ?? '') });
                return null;
            },
            getheader: (_c, s, [k]) => res(s).headers.get(String(k ?? '').toLowerCase())?.value ?? null,
            getheaderkeys: (_c, s) =>
                new ApexList(
                    T.string,
                    [...res(s).headers.values()].map((h) => h.name)
                ),
            setbody: (_c, s, [v]) => {
                res(s).body = v === null ? null : new Uint8Array(Buffer.from(String(v), 'utf8'));
                return null;
            },
            getbody: (_c, s) => text(res(s).body),
            setbodyasblob: (_c, s, [b]) => {
                res(s).body = b instanceof Blob ? b.bytes : null;
                return null;
            },
            getbodyasblob: (_c, s) => (res(s).body ? new Blob(res(s).body!) : null),
            tostring: (_c, s) => res(s).toString()
        }
    });
    r.register({
        name: 'Http',
        constructors: { '0': () => new NativeObject('http', {}) },
        methods: { send: (ctx, _s, [request]) => send(ctx, request) }
    });
    r.register({ name: 'HttpCalloutMock', isInterface: true });
    r.register({
        name: 'Test',
        statics: {
            setmock: (ctx, [type, mock]) => {
                if (!(type instanceof TypeToken))
                    throw new ApexError('TypeException', 'Test.setMock needs a Type');
                if (!ctx.test.running)
                    throw new ApexError('UnexpectedException', 'Test.setMock can only be called from a test');
                const name = type.type.name.replace(/^system\./, '');
                if (name !== 'httpcalloutmock')
                    throw new ApexError(
                        'UnexpectedException',
                        `not supported locally: Test.setMock(${type.type.name})`
                    );
                ctx.test.mocks.set(name, mock);
                return null;
            }
        }
    });

    // ConnectApi.NamedCredentials credential storage (Apex Reference, "ConnectApi.NamedCredentials Class").
    const inputClass = (name: string, fields: string[]) =>
        r.register({
            name,
            constructors: {
                '0': () =>
                    new NativeObject(
                        name.toLowerCase(),
                        Object.fromEntries(fields.map((f) => [f.toLowerCase(), null]))
                    )
            },
            getters: Object.fromEntries(
                fields.map((f) => [
                    f,
                    (_c: ApexContext, s: unknown) =>
                        (s as NativeObject<Record<string, unknown>>).state[f.toLowerCase()] ?? null
                ])
            ),
            setters: Object.fromEntries(
                fields.map((f) => [
                    f,
                    (_c: ApexContext, s: unknown, v: unknown) => {
                        (s as NativeObject<Record<string, unknown>>).state[f.toLowerCase()] = v;
                    }
                ])
            )
        });
    inputClass('ConnectApi.CredentialInput', [
        'externalCredential',
        'principalName',
        'principalType',
        'authenticationProtocol',
        'authenticationProtocolVariant',
        'credentials'
    ]);
    inputClass('ConnectApi.CredentialValueInput', ['value', 'encrypted']);
    const keyOfInput = (i: Record<string, unknown>) =>
        `${String(i.externalcredential)}/${String(i.principalname)}`.toLowerCase();
    const store = (inp: unknown, mustExist: boolean) => {
        const i = (inp as NativeObject<Record<string, unknown>>).state;
        const k = keyOfInput(i);
        if (mustExist !== credentials.has(k))
            throw new ApexError(
                'ConnectApi.ConnectApiException',
                mustExist ? 'Credential not found' : 'Credential already exists'
            );
        const values = new Map<string, string>();
        const m = i.credentials as ApexMap | null;
        for (const [kk, key] of m?.keys ?? []) {
            const v = (m!.values.get(kk) as NativeObject<Record<string, unknown>>).state;
            values.set(String(key).toLowerCase(), String(v.value ?? ''));
        }
        credentials.set(k, { protocol: String(i.authenticationprotocol ?? ''), values });
        tokens.delete(k);
        return new NativeObject('connectapi.credential', {
            externalCredential: i.externalcredential,
            principalName: i.principalname
        });
    };
    r.register({
        name: 'ConnectApi.NamedCredentials',
        statics: {
            createcredential: (_c, [i]) => store(i, false),
            updatecredential: (_c, [i]) => store(i, true),
            getcredential: (_c, [ec, principal]) => {
                const k = `${String(ec)}/${String(principal)}`.toLowerCase();
                const c = credentials.get(k);
                return new NativeObject('connectapi.credential', {
                    externalCredential: ec,
                    principalName: principal,
                    exists: !!c,
                    credentials: c ? [...c.values.keys()] : []
                });
            },
            deletecredential: (_c, [ec, principal]) => {
                credentials.delete(`${String(ec)}/${String(principal)}`.toLowerCase());
                return null;
            }
        }
    });
    r.register({
        name: 'ConnectApi.Credential',
        getters: {
            externalcredential: (_c, s) =>
                str((s as NativeObject<Record<string, unknown>>).state.externalCredential),
            principalname: (_c, s) => str((s as NativeObject<Record<string, unknown>>).state.principalName),
            credentials: (_c, s) => {
                const st = (s as NativeObject<Record<string, unknown>>).state;
                const m = new ApexMap(T.string, T.object);
                for (const k of (st.credentials as string[] | undefined) ?? []) {
                    m.keys.set(k, k);
                    m.values.set(k, new NativeObject('connectapi.credentialvalue', { encrypted: true }));
                }
                return m;
            }
        }
    });
    for (const [name, values] of Object.entries({
        'ConnectApi.CredentialAuthenticationProtocol': [
            'AwsSv4',
            'Custom',
            'Jwt',
            'JwtExchange',
            'NoAuthentication',
            'OAuth',
            'Basic'
        ],
        'ConnectApi.CredentialAuthenticationProtocolVariant': [
            'AwsSv4_StsAssumeRole',
            'AwsSv4_StsAssumeRoleWithWebIdentity',
            'ClientCredentialsClientSecret',
            'ClientCredentialsClientSecretBasic',
            'ClientCredentialsJwtAssertion',
            'JwtBearer',
            'NoAuthentication',
            'RefreshToken'
        ],
        'ConnectApi.CredentialPrincipalType': ['AwsStsPrincipal', 'NamedPrincipal', 'PerUserPrincipal']
    })) {
        const en = { name: name.toLowerCase(), displayName: name, values: [] as EnumValue[] };
        values.forEach((v, i) => en.values.push(new EnumValue(en, v, i)));
        r.register({
            name,
            staticFieldFallback: (_c, n) =>
                en.values.find((v) => v.name.toLowerCase() === n.toLowerCase()) ?? null
        });
    }
}

export { send as sendCallout };
