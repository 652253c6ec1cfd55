/**
 * Apex test runner: discovers @IsTest classes, runs each test method in its own transaction with
 * static state re-initialised and the @TestSetup data restored, measures line coverage and writes
 * JUnit XML.
 *
 * Rules followed (Apex Developer Guide):
 * - "Test setup methods ... Records that are created in a test setup method are available to all
 *   test methods in the test class and are rolled back at the end of test class execution. If a test
 *   method changes those records ... the changes are rolled back after each test method finishes
 *   execution." ("Using Test Setup Methods")
 * - Static variables are reset between test methods (each test method is its own transaction).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApexRuntime } from '../index.js';
import type { LimitCounters } from '../runtime/context.js';
import type { ClassInfo, MethodInfo } from '../interp/model.js';
import { EnumInfo } from '../interp/model.js';

export interface TestRunOptions {
    /** 'Class' or 'Class.method' filters; empty = all test classes. */
    filters?: string[];
    /** JUnit XML output path (none when undefined). */
    junitPath?: string;
}

export interface TestResult {
    readonly className: string;
    readonly method: string;
    readonly passed: boolean;
    readonly message?: string;
    readonly stackTrace?: string;
    readonly ms: number;
    /** Governor-limit usage of the method's transaction (and of its Test.startTest block, if any). */
    readonly limits?: LimitUsage;
}

/** The limits reported per test method, as in an org's test results. */
export interface LimitUsage {
    readonly soql: number;
    readonly dmlStatements: number;
    readonly dmlRows: number;
    readonly callouts: number;
    /** Milliseconds spent in real callouts (at most 120,000 per transaction; mock callouts take none). */
    readonly calloutMs: number;
    /** Milliseconds of interpreter time for the whole method (the local counterpart of Apex CPU time). */
    readonly cpuMs: number;
    /** Usage between Test.startTest and Test.stopTest, which has its own set of limits. */
    readonly startTest?: Omit<LimitUsage, 'cpuMs' | 'startTest'>;
}

/** Printed in the summary and written to the JUnit XML: what the local runtime does not emulate. */
export const SHARING_NOTICE =
    'record sharing is not emulated: with/without sharing and System.runAs do not restrict which records a user sees, and UserRecordAccess follows object permissions and ownership only';

function usageOf(l: LimitCounters): Omit<LimitUsage, 'cpuMs' | 'startTest'> {
    return {
        soql: l.queries,
        dmlStatements: l.dmlStatements,
        dmlRows: l.dmlRows,
        callouts: l.callouts,
        calloutMs: l.calloutTime
    };
}

/** Limits used by the test method that just ran (the main context, then its startTest block). */
function limitUsage(rt: ApexRuntime): LimitUsage {
    const ip = rt.interp;
    const before = ip.test.extra.get('limitsBeforeStart') as LimitCounters | undefined;
    const inStart =
        (ip.test.extra.get('limitsInStartTest') as LimitCounters | undefined) ??
        (before ? ip.limits : undefined);
    const main = before ?? ip.limits;
    return {
        ...usageOf(main),
        cpuMs: Math.round(performance.now() - ip.txStart),
        ...(inStart ? { startTest: usageOf(inStart) } : {})
    };
}

/** One line, e.g. `SOQL 3, DML 2 (5 rows), callouts 0 (0 ms), CPU 12 ms; startTest block: SOQL 1, ...`. */
export function formatLimits(u: LimitUsage): string {
    const part = (x: Omit<LimitUsage, 'cpuMs' | 'startTest'>): string =>
        `SOQL ${x.soql}, DML ${x.dmlStatements} (${x.dmlRows} rows), callouts ${x.callouts} (${x.calloutMs} ms)`;
    return `${part(u)}, CPU ${u.cpuMs} ms${u.startTest ? `; startTest block: ${part(u.startTest)}` : ''}`;
}

export interface ClassCoverage {
    readonly name: string;
    readonly file: string;
    readonly covered: number;
    readonly total: number;
    readonly uncovered: number[];
}

export interface TestRunResult {
    readonly results: TestResult[];
    readonly coverage: ClassCoverage[];
    readonly covered: number;
    readonly total: number;
}

function isTestMethod(m: MethodInfo): boolean {
    return m.annotations.has('istest') || m.keywords.has('testmethod');
}

export function testClasses(rt: ApexRuntime): ClassInfo[] {
    const out: ClassInfo[] = [];
    for (const c of rt.interp.classes.values()) {
        if (c instanceof EnumInfo || !c.decl || c.kind !== 'class') continue;
        if (c.isTest) out.push(c);
    }
    return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export function runTests(rt: ApexRuntime, opts: TestRunOptions = {}): TestRunResult {
    const ip = rt.interp;
    const filters = (opts.filters ?? []).map((f) => f.toLowerCase());
    const results: TestResult[] = [];
    for (const c of testClasses(rt)) {
        const methods = [...c.staticMethods.values(), ...c.methods.values()].flat().filter(isTestMethod);
        const selected = methods.filter(
            (m) =>
                filters.length === 0 || filters.includes(c.name) || filters.includes(`${c.name}.${m.lname}`)
        );
        if (selected.length === 0) continue;
        const setups = [...c.staticMethods.values()].flat().filter((m) => m.annotations.has('testsetup'));
        // @TestSetup runs once per class; its data is snapshotted and restored before every method.
        let snapshot: unknown = undefined;
        let setupError: { message: string; stack: string } | null = null;
        if (setups.length > 0) {
            rt.beginTransaction(true);
            ip.hooks.transaction.restore(ip, undefined);
            try {
                for (const s of setups) ip.invoke(s, null, []);
                snapshot = ip.hooks.transaction.snapshot(ip);
            } catch (e) {
                const ex = ip.toApexException(e);
                if (!ex) setupError = { message: (e as Error).message, stack: '' };
                else setupError = { message: ip.stringOf(ex), stack: ip.stackTraceString(ex) };
            } finally {
                ip.cur = null;
                ip.depth = 0;
            }
        }
        for (const m of selected.sort((a, b) => a.line - b.line)) {
            const started = Date.now();
            if (setupError) {
                results.push({
                    className: c.displayName,
                    method: m.name,
                    passed: false,
                    message: `@TestSetup failed: ${setupError.message}`,
                    stackTrace: setupError.stack,
                    ms: 0
                });
                continue;
            }
            rt.beginTransaction(true);
            ip.hooks.transaction.restore(ip, snapshot);
            try {
                if (m.isStatic) ip.invoke(m, null, []);
                else ip.invoke(m, ip.construct(c, []), []);
                if (ip.test.started) ip.hooks.transaction.runQueuedAsync(ip);
                results.push({
                    className: c.displayName,
                    method: m.name,
                    passed: true,
                    ms: Date.now() - started,
                    limits: limitUsage(rt)
                });
            } catch (e) {
                const ex = ip.toApexException(e);
                results.push({
                    className: c.displayName,
                    method: m.name,
                    passed: false,
                    message: ex ? ip.stringOf(ex) : String((e as Error).message ?? e),
                    stackTrace: ex ? ip.stackTraceString(ex) : '',
                    ms: Date.now() - started,
                    limits: limitUsage(rt)
                });
            } finally {
                ip.cur = null;
                ip.depth = 0;
                ip.test.running = false;
            }
        }
    }
    const coverage = computeCoverage(rt);
    const covered = coverage.reduce((n, c) => n + c.covered, 0);
    const total = coverage.reduce((n, c) => n + c.total, 0);
    const run: TestRunResult = { results, coverage, covered, total };
    if (opts.junitPath) writeJunit(opts.junitPath, run);
    return run;
}

/** Line coverage of every non-test class and trigger. */
export function computeCoverage(rt: ApexRuntime): ClassCoverage[] {
    const ip = rt.interp;
    const testFiles = new Set(testClasses(rt).map((c) => c.file));
    const out: ClassCoverage[] = [];
    for (const unit of ip.loadedUnits()) {
        if (testFiles.has(unit.file)) continue;
        const cov = ip.fileCoverage(unit.file);
        if (!cov || cov.lines.size === 0) continue;
        const uncovered = [...cov.lines].filter((l) => cov.hits[l] === 0).sort((a, b) => a - b);
        const d = unit.decl;
        const name = d.kind === 'anonymous' ? unit.file : d.name;
        out.push({
            name,
            file: unit.file,
            covered: cov.lines.size - uncovered.length,
            total: cov.lines.size,
            uncovered
        });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
}

function xml(s: string): string {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function limitProperties(u: LimitUsage): string {
    const props: [string, number][] = [
        ['limits.soqlQueries', u.soql],
        ['limits.dmlStatements', u.dmlStatements],
        ['limits.dmlRows', u.dmlRows],
        ['limits.callouts', u.callouts],
        ['limits.calloutTimeMs', u.calloutMs],
        ['limits.cpuTimeMs', u.cpuMs]
    ];
    if (u.startTest)
        props.push(
            ['limits.startTest.soqlQueries', u.startTest.soql],
            ['limits.startTest.dmlStatements', u.startTest.dmlStatements],
            ['limits.startTest.dmlRows', u.startTest.dmlRows],
            ['limits.startTest.callouts', u.startTest.callouts],
            ['limits.startTest.calloutTimeMs', u.startTest.calloutMs]
        );
    return `      <properties>\n${props.map(([n, v]) => `        <property name="${n}" value="${v}"/>\n`).join('')}      </properties>\n`;
}

export function writeJunit(path: string, run: TestRunResult): void {
    const byClass = new Map<string, TestResult[]>();
    for (const r of run.results) {
        const list = byClass.get(r.className) ?? [];
        list.push(r);
        byClass.set(r.className, list);
    }
    const failures = run.results.filter((r) => !r.passed).length;
    let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="apex" tests="${run.results.length}" failures="${failures}">\n`;
    out += `  <!-- ${xml(SHARING_NOTICE)} -->\n`;
    for (const [cls, list] of byClass) {
        const f = list.filter((r) => !r.passed).length;
        const time = list.reduce((n, r) => n + r.ms, 0) / 1000;
        out += `  <testsuite name="${xml(cls)}" tests="${list.length}" failures="${f}" time="${time.toFixed(3)}">\n`;
        for (const r of list) {
            out += `    <testcase classname="${xml(cls)}" name="${xml(r.method)}" time="${(r.ms / 1000).toFixed(3)}">\n`;
            if (r.limits) out += limitProperties(r.limits);
            if (!r.passed)
                out += `      <failure message="${xml(r.message ?? '')}">${xml(r.stackTrace ?? '')}</failure>\n`;
            out += '    </testcase>\n';
        }
        out += '  </testsuite>\n';
    }
    out += '</testsuites>\n';
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, out);
}
