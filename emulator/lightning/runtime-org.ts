/**
 * PreviewOrg over the local Apex runtime's embedding API (`emulator/apex/index.ts`):
 * `ApexRuntime.create`, `invokeAura`, `runAnonymous`, and the data side's database for persistence.
 *
 * - Controller calls run the package's real `@AuraEnabled` methods.
 * - The preview's own reads (list views, record details, demo records) are SOQL run as anonymous Apex
 *   and read back through `JSON.serialize`, so they use the runtime's own query engine.
 * - Saves are anonymous Apex DML, so validation rules of the runtime and the package's triggers run.
 * - Async work the runtime queues in a transaction is kept and run later, in its own transaction,
 *   when due (like the platform's queue), on `advanceClock`.
 * - Callouts: the Named Credentials' https endpoints are rewritten to the simulator
 *   (`APEX_CALLOUT_REWRITE`, read by the runtime's Http implementation).
 * - Saved with the database, like the platform keeps them: the scheduled jobs (Schedulable instance,
 *   scheduling user; re-registered on their CronTrigger rows when the org is reopened) and, in a
 *   separate owner-only file, the credentials stored in the External Credentials' principals.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ROOT } from '../../scripts/lib/files.ts';
import type { FieldDef, Schema } from '../apex/data/schema.ts';
import { restoreScheduledJob, scheduledJobs } from '../apex/platform2/async.ts';
import { restoreCredentials, storedCredentials, type StoredCredential } from '../apex/platform2/http.ts';
import type { ApexContext } from '../apex/runtime/context.ts';
import { ApexId, type ClassLike, type EnumLike } from '../apex/runtime/values.ts';
import { OrgError, type OrgOptions, type PlainRecord, type PreviewOrg } from './org.ts';
import {
    decodeApexValue,
    decodeSnapshot,
    encodeApexValue,
    encodeSnapshot,
    type Encoded,
    type EncodedSnapshot,
    type TypeResolver
} from './state-codec.ts';

interface AnonymousResult {
    ok: boolean;
    debug: string[];
    error?: string;
    stackTrace?: string;
}

/** The parts of the runtime's embedding API this adapter uses. */
interface Runtime {
    problems: { file: string; message: string }[];
    interp: ApexContext & {
        clock: number;
        resolveType(
            parts: readonly string[],
            from: null,
            line: number,
            file: string,
            quiet: boolean
        ): { k: 'class'; cls: ClassLike } | { k: 'enum'; en: EnumLike } | { k: string } | null;
    };
    runAnonymous(source: string): AnonymousResult;
    invokeAura(className: string, method: string, params: Record<string, unknown>): unknown;
}

interface QueuedJob {
    kind: string;
    description: string;
    run(): void;
    notBefore: number;
}

interface DataSideLike {
    schema: Schema;
    queue: QueuedJob[];
    /** Schedules (System.schedule): `next` is the next fire time (ms), `fire` runs the job in its own transaction. */
    scheduled: Map<string, { fire(): void; next(): number | null }>;
    org: { db: { snapshot(): unknown; restore(s: unknown): void }; adminUserId: { v: string } };
}

/** A scheduled job as saved: its CronTrigger, the user it runs as, its Schedulable instance. */
interface PersistedSchedule {
    triggerId: string;
    runAsUserId: string;
    job: Encoded;
}

interface PersistedOrg {
    version: 1;
    clockOffsetMs: number;
    snapshot: EncodedSnapshot;
    /** Absent in state saved before schedules were kept. */
    schedules?: PersistedSchedule[];
}

/** Where the stored credentials of the org saved in `stateFile` are kept (owner-only). */
export function credentialsFile(stateFile: string): string {
    return stateFile.replace(/(\.json)?$/, '.credentials.json');
}

/** The saved credentials; a damaged file is reported without its content (it holds secrets). */
function readCredentials(file: string): StoredCredential[] {
    if (!existsSync(file)) return [];
    try {
        return JSON.parse(readFileSync(file, 'utf8')) as StoredCredential[];
    } catch {
        throw new OrgError(
            `${file} is damaged: delete it, then enter the API key and secret again in Settings`,
            'PreviewStateException'
        );
    }
}

/** Writes `text` to `file` atomically; `mode` also applies when the file exists already. */
function writeAtomically(file: string, text: string, mode: number): void {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    rmSync(tmp, { force: true });
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
}

const warned = new Set<string>();
/** A warning about one thing (e.g. a trigger id), printed once per process. */
function warnOnce(key: string, message: string): void {
    if (warned.has(key)) return;
    warned.add(key);
    console.warn(message);
}

const RESULT_MARK = '__PREVIEW_RESULT__';
const apexString = (s: string) =>
    `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;

/** An Apex literal for a value of the given field, for DML written as anonymous Apex. */
export function apexLiteral(field: FieldDef, value: unknown): string {
    if (value === null || value === undefined || value === '') return 'null';
    switch (field.type) {
        case 'boolean':
            return value === true || value === 'true' ? 'true' : 'false';
        case 'int':
        case 'double':
        case 'currency':
        case 'percent': {
            const n = Number(value);
            if (!Number.isFinite(n))
                throw new OrgError(
                    `${field.name}: ${String(value)} is not a number`,
                    'INVALID_TYPE_ON_FIELD_IN_RECORD',
                    400
                );
            return String(n);
        }
        case 'date':
            if (!/^\d{4}-\d{2}-\d{2}$/.test(String(value)))
                throw new OrgError(
                    `${field.name}: ${String(value)} is not a date`,
                    'INVALID_TYPE_ON_FIELD_IN_RECORD',
                    400
                );
            return `Date.valueOf(${apexString(String(value))})`;
        case 'datetime': {
            const ms = Date.parse(String(value));
            if (Number.isNaN(ms))
                throw new OrgError(
                    `${field.name}: ${String(value)} is not a date-time`,
                    'INVALID_TYPE_ON_FIELD_IN_RECORD',
                    400
                );
            return `Datetime.newInstance(${ms}L)`;
        }
        default:
            return apexString(String(value));
    }
}

export async function openRuntimeOrg(options: OrgOptions, schema: Schema): Promise<PreviewOrg> {
    // The runtime's Http reads this map when a callout leaves a Named Credential.
    const rewrite: Record<string, string> = {};
    for (const [name, nc] of schema.namedCredentials) {
        const target = Object.entries(options.namedCredentialUrls).find(
            ([n]) => n.toLowerCase() === name.toLowerCase()
        )?.[1];
        if (target && /^https?:\/\//.test(nc.endpoint)) rewrite[new URL(nc.endpoint).origin] = target;
    }
    process.env.APEX_CALLOUT_REWRITE = JSON.stringify(rewrite);

    const index = (await import(new URL('../apex/index.ts', import.meta.url).href)) as {
        ApexRuntime?: {
            create(o: { projectDir: string; debug?: (l: string, t: string) => void }): Promise<Runtime>;
        };
    };
    const data = (await import(new URL('../apex/data/index.ts', import.meta.url).href)) as {
        sideOf?: (ctx: object) => DataSideLike;
    };
    if (!index.ApexRuntime || !data.sideOf) {
        throw new OrgError(
            'emulator/apex does not export ApexRuntime and data/sideOf',
            'PreviewRuntimeUnavailable',
            503
        );
    }
    const rt = await index.ApexRuntime.create({ projectDir: ROOT, debug: () => {} });
    const side = data.sideOf(rt.interp);
    if (rt.problems.length) {
        console.warn(
            `The local Apex runtime could not load ${rt.problems.length} file(s); calls into them will fail:`
        );
        for (const p of rt.problems.slice(0, 10)) console.warn(`  ${p.file}: ${p.message}`);
    }

    let clockOffsetMs = 0;
    let savedSchedules: PersistedSchedule[] | undefined = [];
    if (existsSync(options.stateFile)) {
        const saved = JSON.parse(readFileSync(options.stateFile, 'utf8')) as PersistedOrg;
        if (saved.version !== 1)
            throw new OrgError(
                `${options.stateFile}: unknown state version; delete .state/ to reset`,
                'PreviewStateException'
            );
        clockOffsetMs = saved.clockOffsetMs;
        side.org.db.restore(decodeSnapshot(saved.snapshot, schema));
        savedSchedules = saved.schedules;
        restoreCredentials(readCredentials(credentialsFile(options.stateFile)));
    } else {
        restoreCredentials([]);
    }
    const now = () => Date.now() + clockOffsetMs;
    rt.interp.clock = now();
    restoreSchedules(rt, savedSchedules);
    const pending: QueuedJob[] = [];

    /** Runs one transaction at the org's current time and keeps the async work it queued. */
    const transaction = <T>(fn: () => T): T => {
        rt.interp.clock = now();
        try {
            return fn();
        } finally {
            pending.push(...side.queue.splice(0));
        }
    };
    const anonymous = (source: string): AnonymousResult => {
        let result: AnonymousResult;
        try {
            result = transaction(() => rt.runAnonymous(source));
        } catch (e) {
            throw new OrgError((e as Error).message, 'NotSupportedLocally', 500);
        }
        if (!result.ok) {
            const [type = 'System.Exception', ...rest] = (result.error ?? '').split(': ');
            throw new OrgError(
                rest.join(': ') || (result.error ?? 'anonymous Apex failed'),
                type,
                400,
                result.stackTrace ?? null
            );
        }
        return result;
    };
    const fieldOf = (objectName: string, name: string): FieldDef => {
        const def = schema.get(objectName);
        const field = def
            ? [...def.fields.values()].find((f) => f.name.toLowerCase() === name.toLowerCase())
            : undefined;
        if (!def || !field)
            throw new OrgError(`No such column '${name}' on entity '${objectName}'`, 'INVALID_FIELD', 400);
        if (!field.updateable && name.toLowerCase() !== 'id')
            throw new OrgError(
                `Field ${def.name}.${field.name} is not writeable`,
                'INVALID_FIELD_FOR_INSERT_UPDATE',
                400
            );
        return field;
    };
    const recordLiteral = (objectName: string, record: PlainRecord): string => {
        const def = schema.get(objectName);
        if (!def) throw new OrgError(`sObject type '${objectName}' is not supported`, 'INVALID_TYPE', 400);
        const parts = Object.entries(record).map(([k, v]) =>
            k.toLowerCase() === 'id'
                ? `Id = ${apexString(String(v))}`
                : `${fieldOf(def.name, k).name} = ${apexLiteral(fieldOf(def.name, k), v)}`
        );
        return `new ${def.name}(${parts.join(', ')})`;
    };
    const objectOfId = (id: string): string => {
        const def = schema.objectForPrefix(id.slice(0, 3));
        if (!def) throw new OrgError(`no object has key prefix ${id.slice(0, 3)}`, 'INVALID_ID_FIELD', 400);
        return def.name;
    };

    const org: PreviewOrg = {
        schema,
        userId: side.org.adminUserId.v,
        userName: 'Local Admin',
        async customPermissions() {
            const rows = await org.query(
                `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = ${apexString(side.org.adminUserId.v)}`
            );
            const names = rows.map((r) =>
                String((r.PermissionSet as PlainRecord | undefined)?.Name ?? '').toLowerCase()
            );
            const granted = new Set<string>();
            for (const [name, set] of schema.permissionSets)
                if (names.includes(name.toLowerCase())) for (const c of set.customPermissions) granted.add(c);
            return [...granted];
        },
        async invokeAura(className, method, params) {
            try {
                return transaction(() => rt.invokeAura(className, method, params));
            } catch (e) {
                const err = e as {
                    apexType?: string;
                    apexMessage?: string;
                    stackTrace?: string;
                    message: string;
                };
                if (err.apexType)
                    throw new OrgError(
                        err.apexMessage ?? err.message,
                        err.apexType,
                        500,
                        err.stackTrace ?? null
                    );
                throw new OrgError(err.message, 'NotSupportedLocally', 500);
            }
        },
        async query(soql) {
            const result = anonymous(
                `System.debug(${apexString(RESULT_MARK)} + JSON.serialize(Database.query(${apexString(soql)})));`
            );
            const line = result.debug.find((d) => d.startsWith(RESULT_MARK));
            if (line === undefined)
                throw new OrgError('the query printed no result', 'PreviewRuntimeException');
            return JSON.parse(line.slice(RESULT_MARK.length)) as PlainRecord[];
        },
        async insert(objectName, records) {
            const list = records.map((r) => recordLiteral(objectName, r)).join(', ');
            const result = anonymous(
                `List<SObject> records = new List<${objectName}>{ ${list} };\ninsert records;\n` +
                    `List<Id> ids = new List<Id>();\nfor (SObject r : records) { ids.add(r.Id); }\nSystem.debug(${apexString(RESULT_MARK)} + JSON.serialize(ids));`
            );
            const line = result.debug.find((d) => d.startsWith(RESULT_MARK)) ?? '[]';
            return JSON.parse(line.replace(RESULT_MARK, '')) as string[];
        },
        async update(records) {
            const byObject = new Map<string, PlainRecord[]>();
            for (const r of records) {
                const objectName = objectOfId(String(r.Id ?? ''));
                byObject.set(objectName, [...(byObject.get(objectName) ?? []), r]);
            }
            const statements = [...byObject].map(
                ([o, rs]) => `update new List<${o}>{ ${rs.map((r) => recordLiteral(o, r)).join(', ')} };`
            );
            anonymous(statements.join('\n'));
        },
        async remove(ids) {
            const byObject = new Map<string, string[]>();
            for (const id of ids) byObject.set(objectOfId(id), [...(byObject.get(objectOfId(id)) ?? []), id]);
            anonymous(
                [...byObject]
                    .map(
                        ([o, list]) =>
                            `delete [SELECT Id FROM ${o} WHERE Id IN (${list.map(apexString).join(', ')})];`
                    )
                    .join('\n')
            );
        },
        async runAnonymous(source) {
            anonymous(source);
        },
        now: () => new Date(now()),
        async advanceClock(ms) {
            clockOffsetMs += ms;
            let jobsRun = 0;
            const asJob = (description: string, run: () => void): void => {
                try {
                    transaction(() => {
                        (rt as unknown as { beginTransaction?: (t: boolean) => void }).beginTransaction?.(
                            false
                        );
                        run();
                    });
                } catch (e) {
                    console.error(`async job ${description} failed: ${(e as Error).message}`);
                }
                jobsRun++;
            };
            // Jobs may queue more jobs; each runs in its own transaction once its time has come. Then
            // schedules (System.schedule) whose next fire time has come fire, and what they queue runs.
            for (let guard = 0; guard < 500; guard++) {
                const i = pending.findIndex((j) => j.notBefore <= now());
                const job = i < 0 ? undefined : pending.splice(i, 1)[0];
                if (job) {
                    asJob(job.description, () => job.run());
                    continue;
                }
                const due = [...side.scheduled.values()].find((s) => {
                    const next = s.next();
                    return next !== null && next <= now();
                });
                if (!due) break;
                asJob('scheduled job', () => due.fire());
            }
            return { jobsRun };
        },
        save(file) {
            const state: PersistedOrg = {
                version: 1,
                clockOffsetMs,
                snapshot: encodeSnapshot(side.org.db.snapshot()),
                schedules: scheduledJobs(rt.interp).flatMap((s) => {
                    try {
                        return [
                            {
                                triggerId: s.triggerId.v,
                                runAsUserId: s.runAs.id.v,
                                job: encodeApexValue(s.job)
                            }
                        ];
                    } catch (e) {
                        warnOnce(
                            s.triggerId.v,
                            `A scheduled job cannot be saved (${(e as Error).message}): it will not run after a restart.`
                        );
                        return [];
                    }
                })
            };
            // Owner-only too: protected custom settings (BGL keys) are org data.
            writeAtomically(file, JSON.stringify(state), 0o600);
            // Secrets: readable by this user only, and only while there are any.
            const credentials = storedCredentials();
            if (credentials.length)
                writeAtomically(credentialsFile(file), JSON.stringify(credentials), 0o600);
            else rmSync(credentialsFile(file), { force: true });
        }
    };
    return org;
}

/**
 * Registers the saved scheduled jobs again on their CronTrigger rows, running as the users who
 * scheduled them. A WAITING row without a job that can be restored (state written before schedules
 * were kept, a job whose state could not be saved, a class no longer in the code) is reported: it
 * cannot run until it is scheduled again (Settings: disconnect and connect).
 */
function restoreSchedules(rt: Runtime, saved: PersistedSchedule[] | undefined): void {
    const types: TypeResolver = {
        classOf: (name) => {
            const r = rt.interp.resolveType(name.split('.'), null, 0, '<state>', true);
            return r && 'cls' in r ? r.cls : null;
        },
        enumOf: (name) => {
            const r = rt.interp.resolveType(name.split('.'), null, 0, '<state>', true);
            return r && 'en' in r ? r.en : null;
        }
    };
    // The query also signs the interpreter's user in as the org's admin (the user a restore compares with).
    const waiting = rt.runAnonymous(
        `System.debug(${apexString(RESULT_MARK)} + JSON.serialize([SELECT Id, CronJobDetail.Name FROM CronTrigger WHERE State = 'WAITING']));`
    );
    const line = waiting.debug.find((d) => d.startsWith(RESULT_MARK)) ?? '[]';
    const restored = new Set<string>();
    for (const s of saved ?? []) {
        const id = ApexId.tryParse(s.triggerId);
        const userId = ApexId.tryParse(s.runAsUserId);
        if (!id || !userId)
            throw new OrgError(`invalid saved schedule ${s.triggerId}`, 'PreviewStateException');
        // The preview runs every transaction as its one user, so every schedule was made by that user.
        const runAs = rt.interp.user;
        if (runAs.id.to15() !== userId.to15()) {
            console.warn(
                `A saved scheduled job belongs to user ${userId.v}, who this preview does not run as.`
            );
            continue;
        }
        let job: unknown;
        try {
            job = decodeApexValue(s.job, types);
        } catch (e) {
            console.warn(`A saved scheduled job cannot be restored: ${(e as Error).message}`);
            continue;
        }
        if (restoreScheduledJob(rt.interp, id, job, runAs)) restored.add(id.to15());
    }
    const lost = (JSON.parse(line.slice(RESULT_MARK.length)) as PlainRecord[])
        .filter((row) => !restored.has(String(row.Id).slice(0, 15)))
        .map((row) => String((row.CronJobDetail as PlainRecord | undefined)?.Name ?? row.Id));
    if (lost.length)
        console.warn(
            `This org was saved without the jobs of ${lost.length} scheduled job(s) (${lost.join(', ')}): ` +
                'they will not run. In Settings, Disconnect and connect again to schedule them anew.'
        );
}
