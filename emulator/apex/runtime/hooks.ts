/**
 * Extension points the data side (emulator/apex/data/, emulator/apex/platform2/) fills in.
 * The language core calls these; each default throws "not supported locally: <feature> at <file>:<line>".
 *
 * Install implementations with `runtime.hooks.soql = ...` (see ../ARCHITECTURE.md).
 */
import type { SoqlNode, SoslNode } from '../front/ast.js';
import type { ApexContext } from './context.js';
import type { SObjectValue } from './values.js';

/** Where in Apex source a hook was called from. */
export interface SourcePos {
    readonly file: string;
    readonly line: number;
}

/** Evaluates the bind expression `:expr` number `index` of a static query (index into SoqlNode.binds). */
export type BindResolver = (index: number) => unknown;

export interface SoqlHook {
    /**
     * Runs a static (inline) SOQL query. Returns the rows as a List<SObject> value (ApexList),
     * or for a single-row aggregate `[SELECT COUNT() ...]` an Integer.
     */
    query(ctx: ApexContext, node: SoqlNode, binds: BindResolver, pos: SourcePos): unknown;
}

export interface SoslHook {
    search(ctx: ApexContext, node: SoslNode, binds: BindResolver, pos: SourcePos): unknown;
}

export type DmlOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'undelete' | 'merge';

export interface DmlStatement {
    readonly op: DmlOperation;
    /** The SObject or List<SObject> operand (merge: the master record). */
    readonly target: unknown;
    /** upsert: external id field name as written; merge: the record(s) merged into the master. */
    readonly extra?: unknown;
    /** `insert as user ...` / `as system`, or undefined when not written. */
    readonly accessLevel?: 'user' | 'system';
}

export interface DmlHook {
    /** Executes a DML statement (`insert x;` ...). Throws DmlException as an Apex exception on failure. */
    execute(ctx: ApexContext, stmt: DmlStatement, pos: SourcePos): void;
}

/** Fresh state for test isolation: the data side snapshots and restores its database. */
export interface TransactionHook {
    /** Called at the start of each test method / anonymous run. */
    begin(ctx: ApexContext): void;
    /** Takes an opaque snapshot of all data (used after @TestSetup). */
    snapshot(ctx: ApexContext): unknown;
    /** Restores a snapshot taken by `snapshot` (or an empty org when undefined). */
    restore(ctx: ApexContext, snapshot: unknown): void;
    /** Test.stopTest(): run queued async work synchronously (Queueable, @future, Batchable...). */
    runQueuedAsync(ctx: ApexContext): void;
}

/** Creates SObject records (`new Account(Name = 'x')`, `Schema.SObjectType.newSObject()`). */
export interface SObjectFactory {
    /** True when `name` (any case) is an SObject type of the schema (standard or the project's). */
    isSObjectType(name: string): boolean;
    /** Canonical API name for a type name, e.g. 'review__c' -> 'Review__c'. */
    canonicalName(name: string): string;
    create(
        ctx: ApexContext,
        type: string,
        fields: ReadonlyMap<string, unknown>,
        pos: SourcePos
    ): SObjectValue;
    /**
     * Optional fast path for one `new T(F1 = v1, F2 = v2)` site: resolves the type and field names once and returns
     * a function building records from the values in `fieldNames` order (same checks and errors as `create`).
     */
    creator?(type: string, fieldNames: readonly string[]): (values: readonly unknown[]) => SObjectValue;
}

export interface AsyncHook {
    /** A call to an `@future` method: queue `run` (the data side runs it at Test.stopTest or end of transaction). */
    enqueueFuture(ctx: ApexContext, description: string, run: () => void, pos: SourcePos): void;
}

export interface Hooks {
    soql: SoqlHook;
    async: AsyncHook;
    sosl: SoslHook;
    dml: DmlHook;
    transaction: TransactionHook;
    sobjects: SObjectFactory;
}

/** The message every unsupported feature fails with. */
export function notSupportedMessage(feature: string, pos: SourcePos): string {
    return `not supported locally: ${feature} at ${pos.file}:${pos.line}`;
}

export class NotSupportedError extends Error {
    constructor(feature: string, pos: SourcePos) {
        super(notSupportedMessage(feature, pos));
        this.name = 'NotSupportedError';
    }
}

export function defaultHooks(): Hooks {
    return {
        soql: {
            query(_ctx, _node, _binds, pos) {
                throw new NotSupportedError('SOQL query', pos);
            }
        },
        async: {
            enqueueFuture(_ctx, description, _run, pos) {
                throw new NotSupportedError(`@future call ${description}`, pos);
            }
        },
        sosl: {
            search(_ctx, _node, _binds, pos) {
                throw new NotSupportedError('SOSL search', pos);
            }
        },
        dml: {
            execute(_ctx, stmt, pos) {
                throw new NotSupportedError(`DML ${stmt.op}`, pos);
            }
        },
        transaction: {
            begin() {},
            snapshot() {
                return undefined;
            },
            restore() {},
            runQueuedAsync() {}
        },
        sobjects: {
            isSObjectType() {
                return false;
            },
            canonicalName(name) {
                return name;
            },
            create(_ctx, type, _fields, pos) {
                throw new NotSupportedError(`SObject type ${type}`, pos);
            }
        }
    };
}
