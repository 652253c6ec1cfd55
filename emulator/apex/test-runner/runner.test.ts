/**
 * The Apex test runner on a small fixture project: per-method isolation (static state re-initialised,
 * @TestSetup data restored), failures with Apex stack traces, line coverage and JUnit XML; and the
 * `apex exec` CLI (DEBUG lines, non-zero exit on an uncaught exception).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ApexRuntime } from '../index.js';
import { formatLimits, SHARING_NOTICE, type TestRunResult } from './runner.js';

const COUNTER = `public with sharing class Counter {
    public static Integer n = 0;
    public static Integer bump() {
        n++;
        return n;
    }
    public static Integer unused() {
        return -1;
    }
}
`;

const COUNTER_TEST = `@IsTest
private class CounterTest {
    @TestSetup
    static void setup() {
        insert new Account(Name = 'Setup');
    }

    @IsTest
    static void first() {
        Assert.areEqual(1, Counter.bump(), 'static state starts fresh');
        insert new Account(Name = 'Mine');
        Assert.areEqual(2, [SELECT COUNT() FROM Account], 'setup row plus this method row');
    }

    @IsTest
    static void second() {
        Assert.areEqual(1, Counter.bump(), 'static state starts fresh again');
        Assert.areEqual(1, [SELECT COUNT() FROM Account], 'only the setup row is visible');
    }

    @IsTest
    static void fails() {
        Integer x;
        x++;
    }

    @IsTest
    static void counted() {
        insert new List<Account>{ new Account(Name = 'a'), new Account(Name = 'b') };
        Test.startTest();
        Integer n = [SELECT COUNT() FROM Account];
        Test.stopTest();
        Assert.areEqual(3, n, 'setup row plus two');
    }
}
`;

/** A temporary project holding Counter and CounterTest, loaded into a runtime. */
async function fixtureProject(prefix: string): Promise<{ dir: string; rt: ApexRuntime }> {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'Counter.cls'), COUNTER);
    writeFileSync(join(dir, 'src', 'CounterTest.cls'), COUNTER_TEST);
    const rt = await ApexRuntime.create({ projectDir: dir, sourceDirs: ['src'], debug: () => undefined });
    assert.deepEqual(rt.problems, [], 'fixture classes load');
    return { dir, rt };
}

describe('Apex test runner', () => {
    let dir: string;
    let run: TestRunResult;
    before(async () => {
        const f = await fixtureProject('apex-runner-');
        dir = f.dir;
        run = f.rt.runTests({ junitPath: join(dir, 'out', 'junit.xml') });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('isolates each method: statics re-initialised, @TestSetup data restored', () => {
        const byName = new Map(run.results.map((r) => [r.method, r]));
        assert.equal(byName.get('first')?.passed, true, byName.get('first')?.message);
        assert.equal(byName.get('second')?.passed, true, byName.get('second')?.message);
    });

    it('reports a failing method with the exception and an Apex stack trace', () => {
        const failed = run.results.find((r) => r.method === 'fails');
        assert.equal(failed?.passed, false);
        assert.equal(failed?.message, 'System.NullPointerException: Attempt to de-reference a null object');
        assert.match(failed?.stackTrace ?? '', /^Class\.CounterTest\.fails: line 24, column 1$/);
    });

    it('measures line coverage of non-test classes', () => {
        const c = run.coverage.find((x) => x.name === 'Counter');
        assert.ok(c, 'Counter has coverage');
        assert.equal(c.total, 4, 'field initialiser + 3 statements');
        assert.deepEqual(c.uncovered, [8], 'only unused() is not covered');
        assert.equal(
            run.coverage.some((x) => x.name === 'CounterTest'),
            false,
            'test classes are excluded'
        );
    });

    it('writes JUnit XML', () => {
        const xml = readFileSync(join(dir, 'out', 'junit.xml'), 'utf8');
        assert.match(xml, /<testsuite name="CounterTest" tests="4" failures="1"/);
        assert.match(
            xml,
            /<failure message="System.NullPointerException: Attempt to de-reference a null object">/
        );
    });
});

describe('Apex test runner: governor limits per method', () => {
    // "Test.startTest ... gives you a new set of governor limits" (Apex Reference, Test class); the runner
    // reports the method's own usage and its startTest block's separately, in its result and in JUnit.
    let dir: string;
    let run: TestRunResult;
    before(async () => {
        const f = await fixtureProject('apex-limits-');
        dir = f.dir;
        run = f.rt.runTests({ filters: ['CounterTest.counted'], junitPath: join(dir, 'junit.xml') });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('counts SOQL, DML statements and rows in the method and in its startTest block', () => {
        const r = run.results[0];
        assert.equal(r?.passed, true, r?.message);
        const { cpuMs, ...rest } = r.limits!;
        assert.ok(cpuMs >= 0, 'CPU time is measured');
        assert.deepEqual(rest, {
            soql: 0,
            dmlStatements: 1,
            dmlRows: 2,
            callouts: 0,
            calloutMs: 0,
            startTest: { soql: 1, dmlStatements: 0, dmlRows: 0, callouts: 0, calloutMs: 0 }
        });
        assert.match(
            formatLimits(r.limits!),
            /^SOQL 0, DML 1 \(2 rows\), callouts 0 \(0 ms\), CPU \d+ ms; startTest block: SOQL 1,/
        );
    });

    it('writes the usage as JUnit properties and says record sharing is not emulated', () => {
        const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
        assert.match(xml, /<property name="limits.dmlRows" value="2"\/>/);
        assert.match(xml, /<property name="limits.startTest.soqlQueries" value="1"\/>/);
        assert.ok(xml.includes(SHARING_NOTICE), 'the sharing notice is in the report');
    });
});

describe('apex exec CLI', () => {
    it('prints DEBUG lines and exits non-zero with the uncaught exception', () => {
        const dir = mkdtempSync(join(tmpdir(), 'apex-exec-'));
        try {
            const file = join(dir, 'script.apex');
            writeFileSync(file, "System.debug('before');\nInteger z = 0;\nSystem.debug(1 / z);\n");
            const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
            const res = spawnSync(process.execPath, ['--import', 'tsx', cli, 'exec', file], {
                encoding: 'utf8'
            });
            assert.equal(res.stdout, 'DEBUG|before\n');
            assert.equal(res.status, 1);
            assert.match(res.stderr, /System\.MathException: Divide by 0/);
            assert.match(res.stderr, /AnonymousBlock: line 3, column 1/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
