/**
 * What native (TypeScript) implementations of platform classes can see of the running interpreter.
 * The interpreter (../interp/) implements this interface; natives never import the interpreter.
 */
import type { Hooks, SourcePos } from './hooks.js';
import type { ApexObject, ApexId, TypeRef } from './values.js';

/** Governor-limit counters of the current transaction (Limits.getQueries() etc. read these). */
export interface LimitCounters {
    queries: number;
    queryRows: number;
    dmlStatements: number;
    dmlRows: number;
    callouts: number;
    futureCalls: number;
    queueableJobs: number;
    emailInvocations: number;
    soslQueries: number;
    /** CPU milliseconds used (measured by the interpreter). */
    cpuTime: number;
    heapSize: number;
    publishImmediateDml: number;
    /**
     * Milliseconds spent in real (non-mock) callouts. The platform caps it at 120 s per transaction
     * (platform2/http.ts) but has no Limits method for it, so it has no entry in LIMIT_MAXIMA.
     */
    calloutTime: number;
}

/**
 * The asynchronous Apex a transaction runs: 'batch' is a Batchable's start or execute, 'batchFinish' its
 * finish, 'finalizer' a Queueable's Transaction Finalizer. System.isQueueable(), isBatch(), isFuture(),
 * isScheduled() and the asynchronous maxima of `limitOf` read it (asyncContextOf).
 */
export type AsyncContext = 'queueable' | 'finalizer' | 'batch' | 'batchFinish' | 'future' | 'scheduled';

/** The counters that have a Limits.getLimitX() maximum. */
export type LimitKey = Exclude<keyof LimitCounters, 'calloutTime'>;

// The kind of each asynchronous transaction, keyed by its counters (created by newLimitCounters(kind) and
// swapped in and out with them), so the counters themselves stay plain numbers.
const asyncKinds = new WeakMap<LimitCounters, AsyncContext>();

/** The asynchronous Apex the transaction counted by `limits` runs, or null for a synchronous transaction. */
export function asyncContextOf(limits: LimitCounters): AsyncContext | null {
    return asyncKinds.get(limits) ?? null;
}

/** Documented synchronous limits (Apex Developer Guide, "Execution Governors and Limits"). */
export const LIMIT_MAXIMA: Readonly<Record<LimitKey, number>> = {
    queries: 100,
    queryRows: 50000,
    dmlStatements: 150,
    dmlRows: 10000,
    callouts: 100,
    futureCalls: 50,
    queueableJobs: 50,
    emailInvocations: 10,
    soslQueries: 20,
    cpuTime: 10000,
    heapSize: 6000000,
    publishImmediateDml: 150
};

/**
 * The maxima that differ in an asynchronous transaction (Apex Developer Guide, "Execution Governors and
 * Limits", https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_gov_limits.htm):
 * SOQL queries 200, heap 12 MB, CPU 60,000 ms, "Maximum number of Apex jobs added to the queue with
 * System.enqueueJob" 1, and @future methods "0 in batch and future contexts; 50 in queueable context".
 * "Although scheduled Apex is an asynchronous feature, synchronous limits apply to scheduled Apex jobs."
 * A Transaction Finalizer gets the synchronous limits "except where asynchronous limits apply: total heap
 * size, maximum number of Apex jobs added to the queue with System.enqueueJob, maximum number of methods
 * with the future annotation" ("Transaction Finalizers",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_transaction_finalizers.htm).
 */
const ASYNC_MAXIMA: Readonly<Partial<Record<LimitKey, number>>> = {
    queries: 200,
    heapSize: 12000000,
    cpuTime: 60000,
    queueableJobs: 1
};

/** The maximum of `key` in the transaction counted by `limits` (what Limits.getLimitX() returns). */
export function limitOf(limits: LimitCounters, key: LimitKey): number {
    const kind = asyncContextOf(limits);
    if (kind === null || kind === 'scheduled') return LIMIT_MAXIMA[key];
    if (key === 'futureCalls')
        return kind === 'batch' || kind === 'batchFinish' || kind === 'future' ? 0 : LIMIT_MAXIMA.futureCalls;
    if (kind === 'finalizer' && key !== 'heapSize' && key !== 'queueableJobs') return LIMIT_MAXIMA[key];
    return ASYNC_MAXIMA[key] ?? LIMIT_MAXIMA[key];
}

/** Fresh counters for a new transaction (`async`: the asynchronous Apex it runs, if any). */
export function newLimitCounters(async: AsyncContext | null = null): LimitCounters {
    const counters: LimitCounters = {
        queries: 0,
        queryRows: 0,
        dmlStatements: 0,
        dmlRows: 0,
        callouts: 0,
        futureCalls: 0,
        queueableJobs: 0,
        emailInvocations: 0,
        soslQueries: 0,
        cpuTime: 0,
        heapSize: 0,
        publishImmediateDml: 0,
        calloutTime: 0
    };
    if (async !== null) asyncKinds.set(counters, async);
    return counters;
}

export interface RunningUser {
    id: ApexId;
    userName: string;
    firstName: string;
    lastName: string;
    email: string;
    profileName: string;
    /** IANA zone, e.g. 'Europe/London'. */
    timeZone: string;
    /** e.g. 'en_US'. */
    locale: string;
    language: string;
    /** Custom permissions granted (lower-case DeveloperName). */
    customPermissions: Set<string>;
    /** Arbitrary data the data side attaches (permission sets, profile id...). */
    extra: Record<string, unknown>;
}

export interface TestState {
    /** Inside a test method. */
    running: boolean;
    /** Between Test.startTest() and Test.stopTest(). */
    started: boolean;
    /** Test.startTest() was already called once in this method. */
    startCalled: boolean;
    /** Test.setMock registrations: lower-case interface name -> mock instance. */
    mocks: Map<string, unknown>;
    /** Anything the data side keeps per test (e.g. Test.setFixedSearchResults). */
    extra: Map<string, unknown>;
}

/** One frame of the Apex call stack, for getStackTraceString and uncaught-exception reports. */
export interface StackFrame {
    /** e.g. 'Class.MyClass.myMethod' or 'AnonymousBlock'. */
    readonly where: string;
    readonly file: string;
    line: number;
}

export interface ApexContext {
    readonly hooks: Hooks;
    limits: LimitCounters;
    user: RunningUser;
    readonly test: TestState;
    /** Fixed clock: current instant in ms since epoch (advances only when the host sets it). */
    now(): number;
    /** The org's default namespace-less locale / zone for formatting. */
    readonly orgTimeZone: string;
    /** Writes one System.debug line. */
    debug(level: string, text: string): void;
    /** Current source position (file:line of the statement being executed). */
    pos(): SourcePos;
    /** Apex call stack, innermost last. */
    stack(): readonly StackFrame[];

    /** Creates an Apex exception object of a built-in or user type (e.g. 'DmlException'). */
    newException(type: string, message: string | null, cause?: ApexObject | null): ApexObject;
    /** Throws an Apex exception (never returns). */
    throwException(type: string, message: string | null): never;
    /** Instantiates an Apex class (user or native) by name, calling the matching constructor. */
    newInstance(typeName: string, args: unknown[]): unknown;
    /** Calls an instance method on an Apex object (user class or native), with overload resolution. */
    invokeMethod(target: unknown, method: string, args: unknown[]): unknown;
    /** Calls a static method `Class.method(args)`. */
    invokeStatic(typeName: string, method: string, args: unknown[]): unknown;
    /** True if a value is an instance of the type (Apex `instanceof`). */
    isInstance(value: unknown, type: TypeRef): boolean;
    /** Converts a value for assignment to `type` (Integer->Long, Decimal->Double, String->Id ...). */
    coerce(value: unknown, type: TypeRef): unknown;
    /** Parses an Apex type name ('List<Account>', 'MyClass.Inner') to a TypeRef; null if unknown. */
    resolveTypeName(name: string): TypeRef | null;
    /** Apex String.valueOf(value). */
    stringOf(value: unknown): string;
    /** Apex `==` (case-insensitive strings, value equality on collections / SObjects, equals() on objects). */
    equals(a: unknown, b: unknown): boolean;
    /**
     * Runs the Apex triggers of `sobjectType` for `event` ('before insert' ...) with the given context
     * variables (Trigger.new, old, newMap, oldMap, size, operationType are derived from them).
     */
    runTriggers(sobjectType: string, event: TriggerEvent, vars: TriggerVariables): void;
}

export type TriggerEvent =
    | 'before insert'
    | 'before update'
    | 'before delete'
    | 'after insert'
    | 'after update'
    | 'after delete'
    | 'after undelete';

export interface TriggerVariables {
    /** ApexList of SObjects or null. */
    readonly newList: unknown;
    readonly oldList: unknown;
    /** ApexMap Id -> SObject or null. */
    readonly newMap: unknown;
    readonly oldMap: unknown;
}
