/**
 * One local org: schema, database with the records every org has (Organization, profiles, the
 * running admin user, the standard price book, the project's permission sets), the query runner and
 * the DML engine, plus per-transaction state (mixed DML, governor counters).
 */
import { ApexId, ApexDatetime } from '../runtime/values.js';
import { OrgDatabase, type Row } from './db.js';
import {
    DmlEngine,
    type DmlEnv,
    type DmlOp,
    type DmlRowResult,
    type MergeRowResult,
    type TriggerCall,
    type TriggerEventName
} from './dml.js';
import { ApexSignal } from './errors.js';
import { SObjectRecord } from './record.js';
import { permissionSetFromDoc, type ObjectDef, type PermissionSetDef, type Schema } from './schema.js';
import { PROFILE_NAMES, UserAccess } from './security.js';
import type { Bind } from './soql/ast.js';
import { QueryRunner, type QueryEnv, type QueryResult } from './soql/eval.js';
import { parseSosl, parseSoql } from './soql/parser.js';
import { runSosl, type SearchResult } from './search.js';

export interface DataLimits {
    queries: number;
    queryRows: number;
    dmlStatements: number;
    dmlRows: number;
}

/** Governor limits (Apex Developer Guide, "Execution Governors and Limits"): synchronous / asynchronous. */
export const DATA_LIMITS = {
    queries: [100, 200],
    queryRows: [50000, 50000],
    dmlStatements: [150, 150],
    dmlRows: [10000, 10000]
} as const;

export type TriggerRunner = (def: ObjectDef, event: TriggerEventName, call: TriggerCall) => void;

export class DataOrg {
    readonly db: OrgDatabase;
    readonly engine: DmlEngine;
    orgId!: ApexId;
    adminUserId!: ApexId;
    standardPricebookId!: ApexId;
    readonly profileIds = new Map<string, ApexId>();
    readonly permissionSetIds = new Map<string, ApexId>();
    /** The running user (System.runAs changes it). */
    userId!: ApexId;
    /** Clock (ms since epoch). */
    now: () => number = () => Date.now();
    /** The running user's time zone and locale, for SOQL date literals (data/index.ts points it at the interpreter's user). */
    userZone: () => { timeZone: string; locale: string } = () => ({ timeZone: 'GMT', locale: 'en_US' });
    /** Transaction state. */
    mixed = { setup: null as string | null, nonSetup: null as string | null };
    limits: DataLimits = { queries: 0, queryRows: 0, dmlStatements: 0, dmlRows: 0 };
    async = false;
    isTest = false;
    triggerRunner: TriggerRunner = () => {};

    constructor(readonly schema: Schema) {
        this.db = new OrgDatabase(schema);
        const env: DmlEnv = {
            db: this.db,
            schema,
            now: () => this.now(),
            userId: () => this.userId,
            orgId: () => this.orgId,
            runTriggers: (def, event, call) => this.triggerRunner(def, event, call),
            countDml: (rows) => this.countDml(rows),
            mixed: this.mixed,
            standardPricebookId: () => this.standardPricebookId
        };
        this.engine = new DmlEngine(env);
        this.seed();
        this.db.commit();
    }

    private seedRow(objectName: string, values: Record<string, unknown>): ApexId {
        const def = this.schema.require(objectName);
        const id = this.db.newId(def);
        const m = new Map<string, unknown>();
        const now = new ApexDatetime(Date.UTC(2026, 0, 1));
        for (const [k, v] of Object.entries(values)) m.set(k.toLowerCase(), v);
        for (const f of ['createddate', 'lastmodifieddate', 'systemmodstamp'])
            if (def.fields.has(f)) m.set(f, now);
        m.set('isdeleted', false);
        // Seeded rows carry their own Id like inserted ones, so `SELECT Id FROM Pricebook2` returns it.
        m.set('id', id);
        this.db.insertRow(def, id, m);
        return id;
    }

    private seed(): void {
        this.orgId = this.seedRow('Organization', {
            Name: 'Local Org',
            // A production org (Developer Edition and Trial orgs have lower limits, e.g. Queueable chain depth).
            OrganizationType: 'Enterprise Edition',
            IsSandbox: false,
            TimeZoneSidKey: 'GMT',
            LanguageLocaleKey: 'en_US',
            DefaultLocaleSidKey: 'en_US'
        });
        for (const p of PROFILE_NAMES)
            this.profileIds.set(p, this.seedRow('Profile', { Name: p, UserType: 'Standard' }));
        this.adminUserId = this.seedRow('User', {
            Username: 'admin@local.org.invalid',
            FirstName: 'Local',
            LastName: 'Admin',
            Name: 'Local Admin',
            Email: 'admin@local.org.invalid',
            Alias: 'ladmin',
            TimeZoneSidKey: 'GMT',
            LocaleSidKey: 'en_US',
            EmailEncodingKey: 'UTF-8',
            LanguageLocaleKey: 'en_US',
            ProfileId: this.profileIds.get('System Administrator'),
            IsActive: true,
            UserType: 'Standard'
        });
        this.userId = this.adminUserId;
        for (const r of this.db.rows(this.schema.require('User')))
            r.values.set('createdbyid', this.adminUserId);
        this.standardPricebookId = this.seedRow('Pricebook2', {
            Name: 'Standard Price Book',
            IsActive: true,
            IsStandard: true
        });
        for (const ps of this.schema.permissionSets.values()) {
            this.permissionSetIds.set(
                ps.name.toLowerCase(),
                this.seedRow('PermissionSet', { Name: ps.name, Label: ps.label, IsOwnedByProfile: false })
            );
        }
        // Custom permissions are CustomPermission rows, so a test can grant one with SetupEntityAccess
        // (Object Reference, SetupEntityAccess: "SetupEntityId: The ID of the entity for which access is enabled").
        for (const name of this.schema.customPermissions)
            this.seedRow('CustomPermission', { DeveloperName: name, MasterLabel: name, IsProtected: false });
        // Custom metadata records are queryable with SOQL ("Custom metadata records ... can be queried with
        // SOQL": Apex Developer Guide, "Custom Metadata Types").
        for (const def of this.schema.customObjects()) {
            if (def.kind !== 'customMetadata') continue;
            for (const values of def.metadataRecords ?? []) this.seedRow(def.name, values);
        }
    }

    /** Starts a new transaction (test method, anonymous block, async job). */
    beginTransaction(async = false): void {
        this.mixed.setup = null;
        this.mixed.nonSetup = null;
        this.limits = { queries: 0, queryRows: 0, dmlStatements: 0, dmlRows: 0 };
        this.async = async;
        this.db.commit();
    }

    private limit(kind: keyof DataLimits): number {
        return DATA_LIMITS[kind][this.async ? 1 : 0];
    }

    countDml(rows: number): void {
        if (++this.limits.dmlStatements > this.limit('dmlStatements'))
            throw new ApexSignal('LimitException', `Too many DML statements: ${this.limits.dmlStatements}`);
        this.limits.dmlRows += rows;
        if (this.limits.dmlRows > this.limit('dmlRows'))
            throw new ApexSignal('LimitException', `Too many DML rows: ${this.limits.dmlRows}`);
    }

    /**
     * Access of a user: the profile, plus every permission set assigned to the user (PermissionSetAssignment
     * rows). A permission set is the union of its metadata (force-app permission sets) and of the
     * ObjectPermissions, FieldPermissions and SetupEntityAccess rows whose ParentId is the set, so a set
     * inserted by a test takes effect at once, as in the org (Object Reference, ObjectPermissions: "To grant a
     * user access to an object, associate an ObjectPermissions record with a PermissionSet that's assigned to
     * a user").
     */
    access(userId: ApexId = this.userId): UserAccess {
        const user = this.db.find(userId);
        const profileRow = this.db.find((user?.values.get('profileid') as ApexId | undefined) ?? null);
        const profile =
            (profileRow?.values.get('name') as string | undefined) ?? 'Minimum Access - Salesforce';
        const assigned = new Map<string, Row>();
        for (const a of this.db.rows(this.schema.require('PermissionSetAssignment'))) {
            if ((a.values.get('assigneeid') as ApexId | null)?.to15() !== userId.to15()) continue;
            const ps = this.db.find(a.values.get('permissionsetid') as ApexId);
            if (ps) assigned.set(ps.id.to15(), ps);
        }
        const sets: PermissionSetDef[] = [];
        if (!assigned.size) return new UserAccess(profile, sets);
        const granted = this.grantsByParent(assigned);
        for (const [key, ps] of assigned) {
            const meta = this.schema.permissionSets.get(String(ps.values.get('name')).toLowerCase());
            if (meta) sets.push(meta);
            const rows = granted.get(key);
            if (rows) sets.push(rows);
        }
        return new UserAccess(profile, sets);
    }

    /** ObjectPermissions, FieldPermissions and SetupEntityAccess rows of the given permission sets, per set. */
    private grantsByParent(sets: Map<string, Row>): Map<string, PermissionSetDef> {
        const out = new Map<string, PermissionSetDef>();
        const of = (r: Row): PermissionSetDef | undefined => {
            const key = (r.values.get('parentid') as ApexId | null)?.to15();
            const ps = key ? sets.get(key) : undefined;
            if (!key || !ps) return undefined;
            let def = out.get(key);
            if (!def) {
                def = permissionSetFromDoc(String(ps.values.get('name')), { label: ps.values.get('label') });
                out.set(key, def);
            }
            return def;
        };
        const flag = (r: Row, f: string) => r.values.get(f) === true;
        for (const r of this.db.rows(this.schema.require('ObjectPermissions'))) {
            of(r)?.objects.set(String(r.values.get('sobjecttype')).toLowerCase(), {
                read: flag(r, 'permissionsread'),
                create: flag(r, 'permissionscreate'),
                edit: flag(r, 'permissionsedit'),
                delete: flag(r, 'permissionsdelete'),
                viewAll: flag(r, 'permissionsviewallrecords'),
                modifyAll: flag(r, 'permissionsmodifyallrecords')
            });
        }
        for (const r of this.db.rows(this.schema.require('FieldPermissions'))) {
            of(r)?.fields.set(String(r.values.get('field')).toLowerCase(), {
                read: flag(r, 'permissionsread'),
                edit: flag(r, 'permissionsedit')
            });
        }
        for (const r of this.db.rows(this.schema.require('SetupEntityAccess'))) {
            const entity = this.db.find(r.values.get('setupentityid') as ApexId | null);
            if (entity?.def.name !== 'CustomPermission') continue;
            of(r)?.customPermissions.add(String(entity.values.get('developername')).toLowerCase());
        }
        return out;
    }

    /** Runs SOQL text. `userMode` applies the running user's CRUD/FLS (WITH USER_MODE / AccessLevel.USER_MODE). */
    query(text: string, bind: (b: Bind) => unknown, opts: { userMode?: boolean } = {}): QueryResult {
        const q = parseSoql(text);
        if (++this.limits.queries > this.limit('queries'))
            throw new ApexSignal('LimitException', `Too many SOQL queries: ${this.limits.queries}`);
        const runner = new QueryRunner(this.queryEnv(bind, q.withClauses, opts.userMode ?? false));
        const res = runner.run(q);
        const rows =
            res.kind === 'count'
                ? res.count
                : res.records.length + res.records.reduce((n, r) => n + childRows(r), 0);
        this.limits.queryRows += rows;
        if (this.limits.queryRows > this.limit('queryRows'))
            throw new ApexSignal('LimitException', `Too many query rows: ${this.limits.queryRows}`);
        return res;
    }

    /** What the query evaluator needs: data, clock, binds, and the running user's access in user mode. */
    private queryEnv(
        bind: (b: Bind) => unknown,
        withClauses: readonly string[],
        userMode: boolean
    ): QueryEnv {
        const enforced = withClauses.includes('SECURITY_ENFORCED');
        const user =
            (userMode || withClauses.includes('USER_MODE') || enforced) &&
            !withClauses.includes('SYSTEM_MODE');
        return {
            db: this.db,
            schema: this.schema,
            now: () => this.now(),
            userZone: () => this.userZone(),
            bind,
            access: user ? this.securityAccess(enforced) : null,
            hidden: (row: Row) => this.isTest && row.id.to15() === this.standardPricebookId.to15(),
            userRecordAccess: (userId, recordIds) => this.userRecordAccess(userId, recordIds)
        };
    }

    /** UserRecordAccess rows of a user for the named records that exist (security.ts: recordAccess). */
    private userRecordAccess(userId: unknown, recordIds: readonly unknown[]): Row[] {
        const user = this.db.find(idOf(userId));
        if (!user || user.def.name !== 'User') return [];
        const access = this.access(user.id);
        const def = this.schema.require('UserRecordAccess');
        const out: Row[] = [];
        for (const raw of recordIds) {
            const rec = this.db.find(idOf(raw));
            if (!rec) continue;
            const owner = rec.values.get('ownerid') as ApexId | null | undefined;
            const a = access.recordAccess(rec.def, owner?.to15() === user.id.to15());
            const values = new Map<string, unknown>([
                ['id', URA_ID],
                ['userid', user.id],
                ['recordid', rec.id.v],
                ['hasreadaccess', a.read],
                ['haseditaccess', a.edit],
                ['hasdeleteaccess', a.delete],
                ['hastransferaccess', a.transfer],
                ['hasallaccess', a.all],
                ['maxaccesslevel', a.max]
            ]);
            out.push({ id: URA_ID, def, values, deleted: false });
        }
        return out;
    }

    /**
     * Runs SOSL text. In test context the rows come only from `fixedIds` (Test.setFixedSearchResults; none when
     * it was not called); outside tests from the text index (search.ts). SOSL rows do not count toward the
     * SOQL query-row limit (each SOSL query returns at most 2,000 rows).
     */
    search(
        text: string,
        bind: (b: Bind) => unknown,
        opts: { userMode?: boolean; fixedIds: readonly ApexId[] | null }
    ): SearchResult[] {
        const q = parseSosl(text);
        return runSosl(this.queryEnv(bind, q.withClauses, opts.userMode ?? false), q, opts.fixedIds);
    }

    private securityAccess(enforced: boolean): UserAccess {
        const a = this.access();
        if (!enforced) return a;
        // WITH SECURITY_ENFORCED: "Insufficient permissions: secure query included inaccessible field".
        const wrap = Object.create(a) as UserAccess;
        wrap.canRead = (def) => {
            if (!a.canRead(def))
                throw new ApexSignal(
                    'QueryException',
                    'Insufficient permissions: secure query included inaccessible field'
                );
            return true;
        };
        wrap.canReadField = (def, fd) => {
            if (!a.canReadField(def, fd))
                throw new ApexSignal(
                    'QueryException',
                    'Insufficient permissions: secure query included inaccessible field'
                );
            return true;
        };
        return wrap;
    }

    dml(
        op: DmlOp,
        records: SObjectRecord[],
        opts: { allOrNone?: boolean; externalIdField?: string; userMode?: boolean } = {}
    ): DmlRowResult[] {
        return this.engine.execute(op, records, {
            allOrNone: opts.allOrNone ?? true,
            externalIdField: opts.externalIdField,
            access: opts.userMode ? this.access() : null
        });
    }

    /** `merge` / Database.merge (dml.ts): the master and up to two duplicates of Account, Contact, Lead or Case. */
    merge(
        master: SObjectRecord,
        duplicates: SObjectRecord[],
        opts: { allOrNone?: boolean; userMode?: boolean } = {}
    ): MergeRowResult {
        return this.engine.merge(master, duplicates, {
            allOrNone: opts.allOrNone ?? true,
            access: opts.userMode ? this.access() : null
        });
    }

    /** New record of a type, for `new Account(...)`. */
    newRecord(type: string): SObjectRecord {
        return new SObjectRecord(this.schema.require(type));
    }
}

/** UserRecordAccess rows are not stored: they share an all-zero id. */
const URA_ID = ApexId.tryParse('000000000000000AAA')!;

function idOf(v: unknown): ApexId | null {
    if (v instanceof ApexId) return v;
    return typeof v === 'string' ? ApexId.tryParse(v) : null;
}

function childRows(r: SObjectRecord): number {
    let n = 0;
    for (const v of r.populatedFields().values()) {
        const items = (v as { items?: unknown[] } | null)?.items;
        if (Array.isArray(items)) n += items.length;
    }
    return n;
}
