/**
 * The preview server (127.0.0.1): serves the built app (`.preview/`) and SLDS, and answers the
 * browser's org calls — `@salesforce/apex` methods, UI API adapters, list views, demo records, the
 * clock — through the local Apex runtime (see org.ts). Routes are under `/api/`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { ROOT } from '../../scripts/lib/files.ts';
import type { FieldDef, ObjectDef, Schema } from '../apex/data/schema.ts';
import { OUT_DIR } from './build.ts';
import { readPages, type ListViewDef } from './metadata.ts';
import { OrgError, type PlainRecord, type PreviewOrg } from './org.ts';

const SLDS_ASSETS = join(ROOT, 'node_modules/@salesforce-ux/design-system/assets');
const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.woff2': 'font/woff2',
    '.woff': 'font/woff',
    '.json': 'application/json'
};
/** Fields never shown on the preview's detail panel. */
const HIDDEN_FIELDS = new Set([
    'IsDeleted',
    'SystemModstamp',
    'LastViewedDate',
    'LastReferencedDate',
    'LastActivityDate'
]);
const LIST_LIMIT = 200;

export interface PreviewServerOptions {
    port: number;
    /** null when the runtime could not be opened: pages still render and every org call says why it failed. */
    org: PreviewOrg | null;
    /** Why `org` is null, shown on every page. */
    orgError: string | null;
    schema: Schema;
    simulatorUrl: string;
    stateFile: string;
}

export interface PreviewServer {
    url: string;
    server: Server;
    close(): Promise<void>;
}

class ApiError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly exceptionType = 'PreviewRequestException'
    ) {
        super(message);
    }
}

/** SOQL string literal with the escapes the SOQL reference lists for quotes and backslashes. */
export function soqlString(value: string): string {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** True for `127.0.0.1:<port>`, `localhost:<port>` and `[::1]:<port>` (the only names the preview answers to). */
export function isLocalHost(host: string | undefined): boolean {
    return /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host ?? '');
}

const isId = (v: unknown): v is string =>
    typeof v === 'string' && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(v);

function display(value: unknown, field?: FieldDef): string {
    if (value === null || value === undefined) return '';
    if (field?.type === 'boolean') return value ? 'Yes' : 'No';
    if (field?.type === 'datetime' && typeof value === 'string') {
        const d = new Date(value);
        return Number.isNaN(d.getTime()) ? value : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    }
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
}

/** A list view filter as a SOQL condition (list view operations from the Metadata API ListView type). */
export function filterCondition(filter: ListViewDef['filters'][number], field: FieldDef): string {
    const raw = filter.value;
    const literal = (v: string): string => {
        if (['date', 'datetime'].includes(field.type)) {
            if (/^[A-Z_]+(:\d+)?$/.test(v) || /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(v)) return v;
            throw new ApiError(400, `list view filter value ${v} is not a date literal`);
        }
        if (field.type === 'boolean') return v === '1' || v.toLowerCase() === 'true' ? 'true' : 'false';
        if (['double', 'int', 'currency', 'percent'].includes(field.type)) {
            if (!/^-?\d+(\.\d+)?$/.test(v))
                throw new ApiError(400, `list view filter value ${v} is not a number`);
            return v;
        }
        return soqlString(v);
    };
    const values = raw.split(',').map((v) => v.trim());
    const name = field.name;
    switch (filter.operation) {
        case 'equals':
            return values.length > 1
                ? `${name} IN (${values.map(literal).join(', ')})`
                : `${name} = ${literal(raw)}`;
        case 'notEqual':
            return values.length > 1
                ? `${name} NOT IN (${values.map(literal).join(', ')})`
                : `${name} != ${literal(raw)}`;
        case 'lessThan':
            return `${name} < ${literal(raw)}`;
        case 'greaterThan':
            return `${name} > ${literal(raw)}`;
        case 'lessOrEqual':
            return `${name} <= ${literal(raw)}`;
        case 'greaterOrEqual':
            return `${name} >= ${literal(raw)}`;
        case 'contains':
            return `${name} LIKE ${soqlString(`%${raw}%`)}`;
        case 'notContain':
            return `(NOT ${name} LIKE ${soqlString(`%${raw}%`)})`;
        case 'startsWith':
            return `${name} LIKE ${soqlString(`${raw}%`)}`;
        default:
            throw new ApiError(
                400,
                `list view filter operation ${filter.operation} is not supported by the preview`
            );
    }
}

/** Applies a list view's `booleanFilter` ("1 AND (2 OR 3)") to its numbered conditions. */
export function combineFilters(conditions: string[], booleanFilter: string | null): string {
    if (!booleanFilter) return conditions.join(' AND ');
    return booleanFilter.replace(/\d+/g, (n) => {
        const c = conditions[Number(n) - 1];
        if (c === undefined)
            throw new ApiError(400, `booleanFilter refers to filter ${n}, which does not exist`);
        return `(${c})`;
    });
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
    const { schema } = options;
    const pages = readPages(new Set());

    const requireOrg = (): PreviewOrg => {
        if (!options.org)
            throw new ApiError(
                503,
                options.orgError ?? 'the local Apex runtime is not available',
                'PreviewRuntimeUnavailable'
            );
        return options.org;
    };
    let saveTimer: NodeJS.Timeout | null = null;
    const persistSoon = () => {
        if (!options.org || saveTimer) return;
        saveTimer = setTimeout(() => {
            saveTimer = null;
            options.org?.save(options.stateFile);
        }, 300);
    };
    const objectOf = (id: string): ObjectDef => {
        const def = schema.objectForPrefix(id.slice(0, 3));
        if (!def) throw new ApiError(404, `no object has key prefix ${id.slice(0, 3)}`);
        return def;
    };
    const fieldOf = (def: ObjectDef, name: string): FieldDef | undefined => {
        for (const [key, f] of def.fields) if (key.toLowerCase() === name.toLowerCase()) return f;
        return undefined;
    };
    const readable = (def: ObjectDef) =>
        [...def.fields.values()].filter(
            (f) => !HIDDEN_FIELDS.has(f.name) && !['address', 'location', 'base64'].includes(f.type)
        );

    const getRecord = async (body: Record<string, unknown>) => {
        const recordId = body.recordId;
        if (!isId(recordId)) throw new ApiError(400, 'recordId must be a record id');
        const def = objectOf(recordId);
        const strip = (list: unknown) =>
            (Array.isArray(list) ? list : []).map((f) =>
                String(f).replace(new RegExp(`^${def.name}\\.`), '')
            );
        const required = strip(body.fields);
        const optional = strip(body.optionalFields).filter(
            (f) => fieldOf(def, f.split('.')[0] ?? '') || f.includes('.')
        );
        for (const f of required) {
            if (!f.includes('.') && !fieldOf(def, f))
                throw new ApiError(400, `${def.name}.${f} does not exist`, 'INVALID_FIELD');
        }
        const names = [...new Set(['Id', ...required, ...optional])];
        const rows = await requireOrg().query(
            `SELECT ${names.join(', ')} FROM ${def.name} WHERE Id = ${soqlString(recordId)}`
        );
        const row = rows[0];
        if (!row) throw new ApiError(404, `record ${recordId} not found`, 'NOT_FOUND');
        return toUiRecord(def, row);
    };
    const toUiRecord = (def: ObjectDef, row: PlainRecord): Record<string, unknown> => {
        const fields: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) {
            if (key === 'attributes') continue;
            if (value && typeof value === 'object' && !Array.isArray(value)) {
                const rel = [...def.fields.values()].find((f) => f.relationshipName === key);
                const parent = rel?.referenceTo?.[0] ? schema.get(rel.referenceTo[0]) : undefined;
                fields[key] = {
                    value: parent ? toUiRecord(parent, value as PlainRecord) : value,
                    displayValue: null
                };
            } else {
                fields[key] = { value: value ?? null, displayValue: null };
            }
        }
        return { apiName: def.name, id: row.Id, fields };
    };

    const recordDetail = async (body: Record<string, unknown>) => {
        const recordId = body.recordId;
        if (!isId(recordId)) throw new ApiError(400, 'recordId must be a record id');
        const def = objectOf(recordId);
        const fields = readable(def);
        // A lookup shows its parent's name field (Name, or CaseNumber for Case, etc.).
        const parentName = (f: FieldDef): string | undefined => {
            if (f.type !== 'reference' || !f.relationshipName || f.referenceTo?.length !== 1)
                return undefined;
            return schema.get(f.referenceTo[0] ?? '')?.nameField;
        };
        const select = fields.map((f) => {
            const name = parentName(f);
            return name ? `${f.name}, ${f.relationshipName ?? ''}.${name}` : f.name;
        });
        const rows = await requireOrg().query(
            `SELECT ${select.join(', ')} FROM ${def.name} WHERE Id = ${soqlString(recordId)}`
        );
        const row = rows[0];
        if (!row) throw new ApiError(404, `record ${recordId} not found`, 'NOT_FOUND');
        const nameField = def.nameField ?? 'Id';
        return {
            apiName: def.name,
            label: def.label,
            id: row.Id,
            name: display(row[nameField]),
            fields: fields.map((f) => {
                const name = parentName(f);
                const parent =
                    name && f.relationshipName
                        ? (row[f.relationshipName] as PlainRecord | undefined)
                        : undefined;
                return {
                    apiName: f.name,
                    label: f.label,
                    displayValue: parent && name ? display(parent[name]) : display(row[f.name], f)
                };
            })
        };
    };

    const listView = async (body: Record<string, unknown>) => {
        const objectName = String(body.objectApiName ?? '');
        const def = schema.get(objectName);
        if (!def) throw new ApiError(404, `object ${objectName} does not exist`);
        const views = pages.tabs.find((t) => t.object === def.name)?.listViews ?? [];
        const view = views.find((v) => v.name === body.listView) ?? views[0];
        const columns = (view?.columns ?? ['NAME']).map((c) => (c === 'NAME' ? (def.nameField ?? 'Id') : c));
        const fieldDefs = columns.map((c) => {
            const f = fieldOf(def, c);
            if (!f)
                throw new ApiError(
                    400,
                    `list view ${view?.name ?? ''} shows ${c}, which is not a field of ${def.name}`
                );
            return f;
        });
        const conditions = (view?.filters ?? []).map((flt) => {
            const f = fieldOf(def, flt.field);
            if (!f)
                throw new ApiError(
                    400,
                    `list view ${view?.name ?? ''} filters on ${flt.field}, which is not a field of ${def.name}`
                );
            return filterCondition(flt, f);
        });
        const where = conditions.length
            ? ` WHERE ${combineFilters(conditions, view?.booleanFilter ?? null)}`
            : '';
        const order = fieldOf(def, 'CreatedDate') ? ' ORDER BY CreatedDate DESC' : '';
        const rows = await requireOrg().query(
            `SELECT Id, ${fieldDefs.map((f) => f.name).join(', ')} FROM ${def.name}${where}${order} LIMIT ${LIST_LIMIT + 1}`
        );
        return {
            objectLabel: def.labelPlural,
            listView: view?.name ?? null,
            truncated: rows.length > LIST_LIMIT,
            columns: fieldDefs.map((f) => ({ fieldName: f.name, label: f.label, type: f.type })),
            rows: rows
                .slice(0, LIST_LIMIT)
                .map((r) => ({ id: r.Id, values: fieldDefs.map((f) => display(r[f.name], f)) }))
        };
    };

    const picklist = (objectName: string, fieldName: string) => {
        const def = schema.get(objectName);
        const field = def ? fieldOf(def, fieldName) : undefined;
        if (!def || !field)
            throw new ApiError(404, `${objectName}.${fieldName} does not exist`, 'INVALID_FIELD');
        if (!field.picklist)
            throw new ApiError(400, `${def.name}.${field.name} is not a picklist`, 'INVALID_FIELD');
        const values = field.picklist.filter((v) => v.active);
        const def0 = values.find((v) => v.isDefault);
        return {
            controllerValues: {},
            defaultValue: def0
                ? { label: def0.label, value: def0.value, attributes: null, validFor: [] }
                : null,
            values: values.map((v) => ({ label: v.label, value: v.value, attributes: null, validFor: [] }))
        };
    };

    const objectInfo = (objectName: string) => {
        const def = schema.get(objectName);
        if (!def) throw new ApiError(404, `object ${objectName} does not exist`, 'INVALID_TYPE');
        const fields: Record<string, unknown> = {};
        for (const f of def.fields.values()) {
            fields[f.name] = {
                apiName: f.name,
                label: f.label,
                dataType: f.type.charAt(0).toUpperCase() + f.type.slice(1),
                length: f.length ?? 0,
                required: f.required,
                createable: f.createable,
                updateable: f.updateable,
                calculated: f.calculated,
                custom: f.custom,
                externalId: f.externalId,
                unique: f.unique,
                nillable: f.nillable,
                reference: f.type === 'reference',
                referenceToInfos: (f.referenceTo ?? []).map((apiName) => ({ apiName, nameFields: ['Name'] })),
                relationshipName: f.relationshipName ?? null
            };
        }
        return {
            apiName: def.name,
            label: def.label,
            labelPlural: def.labelPlural,
            keyPrefix: def.keyPrefix,
            custom: def.kind !== 'standard',
            createable: true,
            updateable: true,
            deletable: true,
            nameFields: def.nameField ? [def.nameField] : [],
            defaultRecordTypeId: '012000000000000AAA',
            recordTypeInfos: {
                '012000000000000AAA': {
                    available: true,
                    defaultRecordTypeMapping: true,
                    master: true,
                    name: 'Master',
                    recordTypeId: '012000000000000AAA'
                }
            },
            fields
        };
    };

    const demoRecords = async () => {
        const org = requireOrg();
        const options = (object: string, field: string) =>
            picklist(object, field).values.map((v) => ({ label: v.label, value: v.value }));
        // Child relationships serialize as {totalSize, done, records} (REST query shape).
        const children = (v: unknown): PlainRecord[] =>
            Array.isArray(v)
                ? (v as PlainRecord[])
                : (((v as { records?: PlainRecord[] } | null)?.records ?? []) as PlainRecord[]);
        const lines = (items: unknown) =>
            children(items)
                .map((li) => {
                    const p = (li.Product2 ?? {}) as PlainRecord;
                    return `${String(p.ProductCode ?? '')} ${String(p.Name ?? '')} × ${String(li.Quantity ?? '')}`.trim();
                })
                .join('; ');
        const name = (r: unknown) => String((r as PlainRecord | null)?.Name ?? '');
        const opportunities = await org.query(
            'SELECT Id, Name, StageName, Account.Name, (SELECT Role, IsPrimary, Contact.Name, Contact.Email FROM OpportunityContactRoles), ' +
                '(SELECT Quantity, Product2.Name, Product2.ProductCode FROM OpportunityLineItems) FROM Opportunity ORDER BY Name LIMIT 200'
        );
        const orders = await org.query(
            'SELECT Id, OrderNumber, Status, Account.Name, BillToContact.Name, ShipToContact.Name, ' +
                '(SELECT Quantity, Product2.Name, Product2.ProductCode FROM OrderItems) FROM Order ORDER BY OrderNumber LIMIT 200'
        );
        const cases = await org.query(
            'SELECT Id, CaseNumber, Subject, Status, Account.Name, Contact.Name, Contact.Email FROM Case ORDER BY CaseNumber LIMIT 200'
        );
        return {
            sections: [
                {
                    object: 'Opportunity',
                    label: 'Opportunities',
                    field: 'StageName',
                    fieldLabel: 'Stage',
                    contactsLabel: 'Contact roles',
                    options: options('Opportunity', 'StageName'),
                    records: opportunities.map((o) => ({
                        id: o.Id,
                        name: String(o.Name ?? ''),
                        account: name(o.Account),
                        value: o.StageName,
                        contacts: children(o.OpportunityContactRoles)
                            .map(
                                (r) =>
                                    `${name(r.Contact)} (${String(r.Role ?? 'no role')}${r.IsPrimary ? ', primary' : ''})`
                            )
                            .join('; '),
                        products: lines(o.OpportunityLineItems)
                    }))
                },
                {
                    object: 'Order',
                    label: 'Orders',
                    field: 'Status',
                    fieldLabel: 'Status',
                    contactsLabel: 'Bill to / Ship to',
                    options: options('Order', 'Status'),
                    records: orders.map((o) => ({
                        id: o.Id,
                        name: String(o.OrderNumber ?? ''),
                        account: name(o.Account),
                        value: o.Status,
                        contacts: `Bill to: ${name(o.BillToContact) || '—'}; Ship to: ${name(o.ShipToContact) || '—'}`,
                        products: lines(o.OrderItems)
                    }))
                },
                {
                    object: 'Case',
                    label: 'Cases',
                    field: 'Status',
                    fieldLabel: 'Status',
                    contactsLabel: 'Contact',
                    options: options('Case', 'Status'),
                    records: cases.map((c) => ({
                        id: c.Id,
                        name: `${String(c.CaseNumber ?? '')} ${String(c.Subject ?? '')}`.trim(),
                        account: name(c.Account),
                        value: c.Status,
                        contacts: c.Contact
                            ? `${name(c.Contact)} <${String((c.Contact as PlainRecord).Email ?? 'no email')}>`
                            : '—',
                        products: ''
                    }))
                }
            ]
        };
    };

    const simAdvance = async (ms: number) => {
        try {
            await fetch(`${options.simulatorUrl}/_admin/clock`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ advanceMs: ms })
            });
        } catch {
            // The simulator's clock only shapes its own send times; the org's clock is what matters.
        }
    };

    const session = async () => {
        const org = options.org;
        let permissions: string[] = [];
        let runtimeError = options.orgError;
        try {
            permissions = org ? await org.customPermissions() : [];
        } catch (e) {
            runtimeError = `The running user's permissions cannot be read: ${(e as Error).message}`;
        }
        return {
            user: { Id: org?.userId ?? null, isGuest: false },
            userName: org?.userName ?? null,
            permissions,
            runtimeError
        };
    };

    type Handler = (body: Record<string, unknown>) => Promise<unknown> | unknown;
    const api: Record<string, Handler> = {
        '/api/apex': async (b) => {
            const className = String(b.classname ?? '');
            const method = String(b.method ?? '');
            if (!/^\w+$/.test(className) || !/^\w+$/.test(method))
                throw new ApiError(400, 'classname and method are required');
            const params = (b.params && typeof b.params === 'object' ? b.params : {}) as Record<
                string,
                unknown
            >;
            const returnValue = await requireOrg().invokeAura(className, method, params);
            persistSoon();
            return { returnValue: returnValue ?? null };
        },
        '/api/ui/getRecord': getRecord,
        '/api/ui/recordDetail': recordDetail,
        '/api/ui/updateRecord': async (b) => {
            const fields = (b.fields ?? {}) as PlainRecord;
            if (!isId(fields.Id)) throw new ApiError(400, 'fields.Id must be a record id');
            const def = objectOf(fields.Id);
            await requireOrg().update([fields]);
            persistSoon();
            return getRecord({
                recordId: fields.Id,
                fields: Object.keys(fields).filter((f) => f !== 'Id' && fieldOf(def, f))
            });
        },
        '/api/ui/createRecord': async (b) => {
            const objectName = String(b.apiName ?? '');
            if (!schema.get(objectName)) throw new ApiError(404, `object ${objectName} does not exist`);
            const fields = (b.fields ?? {}) as PlainRecord;
            const [id] = await requireOrg().insert(objectName, [fields]);
            persistSoon();
            return getRecord({ recordId: id, fields: Object.keys(fields) });
        },
        '/api/ui/deleteRecord': async (b) => {
            if (!isId(b.recordId)) throw new ApiError(400, 'recordId must be a record id');
            await requireOrg().remove([b.recordId]);
            persistSoon();
            return {};
        },
        '/api/ui/objectInfo': (b) => objectInfo(String(b.objectApiName ?? '')),
        '/api/ui/picklistValues': (b) => {
            const [objectName = '', fieldName = ''] = String(b.field ?? '').split('.');
            return picklist(objectName, fieldName);
        },
        '/api/ui/picklistValuesByRecordType': (b) => {
            const def = schema.get(String(b.objectApiName ?? ''));
            if (!def) throw new ApiError(404, `object ${String(b.objectApiName)} does not exist`);
            const picklistFieldValues: Record<string, unknown> = {};
            for (const f of def.fields.values())
                if (f.picklist) picklistFieldValues[f.name] = picklist(def.name, f.name);
            return { picklistFieldValues };
        },
        '/api/preview/listView': listView,
        '/api/preview/demoRecords': demoRecords,
        '/api/preview/clock': async (b) => {
            const org = requireOrg();
            if (b.advanceMs === undefined) return { now: org.now().toISOString(), jobsRun: 0 };
            const ms = Number(b.advanceMs);
            if (!Number.isFinite(ms) || ms < 0 || ms > 366 * 86_400_000)
                throw new ApiError(400, 'advanceMs must be between 0 and one year');
            // The simulator's clock first: the jobs that come due call it at the org's new time.
            await simAdvance(ms);
            const { jobsRun } = await org.advanceClock(ms);
            persistSoon();
            return { now: org.now().toISOString(), jobsRun };
        },
        '/api/preview/status': () => ({
            ok: true,
            runtime: options.org ? 'ready' : 'unavailable',
            runtimeError: options.orgError,
            simulatorUrl: options.simulatorUrl
        })
    };

    const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        if (!text) return {};
        try {
            const v = JSON.parse(text) as unknown;
            return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
        } catch {
            throw new ApiError(400, 'request body is not JSON');
        }
    };

    const sendJson = (res: ServerResponse, status: number, body: unknown) => {
        res.writeHead(status, {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-store'
        }).end(JSON.stringify(body));
    };

    const serveFile = (res: ServerResponse, base: string, rel: string) => {
        const file = normalize(join(base, rel));
        if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
            return;
        }
        res.writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': 'no-cache'
        }).end(readFileSync(file));
    };

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const path = url.pathname;
        // Only this machine's browser, by name: a page elsewhere cannot reach the org through DNS
        // rebinding (Host check) or a cross-site form post (JSON content type forces a CORS preflight,
        // which this server never grants).
        if (!isLocalHost(req.headers.host)) {
            sendJson(res, 421, { message: 'the preview answers only on 127.0.0.1 / localhost' });
            return;
        }
        if (req.method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
            sendJson(res, 415, { message: 'POST application/json' });
            return;
        }
        if (path === '/api/session.js') {
            res.writeHead(200, { 'content-type': TYPES['.js'] ?? '', 'cache-control': 'no-store' }).end(
                `window.__PREVIEW_SESSION__ = ${JSON.stringify(await session())};\n`
            );
            return;
        }
        const handler = api[path];
        if (handler) {
            if (req.method !== 'POST' && path !== '/api/preview/status') {
                sendJson(res, 405, { message: 'use POST' });
                return;
            }
            try {
                const body = req.method === 'POST' ? await readJson(req) : {};
                sendJson(res, 200, await handler(body));
            } catch (e) {
                if (e instanceof ApiError) {
                    sendJson(res, e.status, {
                        message: e.message,
                        exceptionType: e.exceptionType,
                        stackTrace: null
                    });
                } else if (e instanceof OrgError) {
                    sendJson(res, e.status, {
                        message: e.message,
                        exceptionType: e.exceptionType,
                        stackTrace: e.stackTrace,
                        isUserDefinedException: false
                    });
                } else {
                    console.error(e);
                    sendJson(res, 500, {
                        message: `preview server error: ${(e as Error).message}`,
                        exceptionType: 'PreviewServerException',
                        stackTrace: null
                    });
                }
            }
            return;
        }
        if (path.startsWith('/api/')) {
            sendJson(res, 404, { message: `no such endpoint: ${path}` });
        } else if (path.startsWith('/assets/')) {
            serveFile(res, SLDS_ASSETS, path.slice('/assets/'.length));
        } else if (path === '/favicon.ico') {
            // The preview has no icon: an empty answer instead of a 404 error in every page's console.
            res.writeHead(204).end();
        } else if (path === '/' || path === '/index.html') {
            serveFile(res, OUT_DIR, 'index.html');
        } else {
            serveFile(res, OUT_DIR, path.slice(1));
        }
    };

    const server = createServer((req, res) => {
        handle(req, res).catch((e: unknown) => {
            if (!res.headersSent) res.writeHead(500).end(String(e));
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return {
        url: `http://127.0.0.1:${port}`,
        server,
        close: async () => {
            if (saveTimer) {
                clearTimeout(saveTimer);
                saveTimer = null;
                options.org?.save(options.stateFile);
            }
            await new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            });
        }
    };
}
