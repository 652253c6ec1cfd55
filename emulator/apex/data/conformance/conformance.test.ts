/**
 * Data-side conformance suite: SOQL, SOSL, DML (with merge), triggers, async and callouts. Every `*.apex` file
 * here holds cases in the format of ../../conformance/ (`// @case`, `@doc`, `@quote`, `@inferred`, `@expect`,
 * `@error`) plus `// @context test`, which runs the case as test code (Test.startTest/stopTest, Test.setMock,
 * async jobs run at Test.stopTest). Each case starts from a freshly seeded org and runs as anonymous Apex
 * with the triggers of ./src (Account, Contact) and ConformanceLog.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { ApexRuntime } from '../../index.js';

interface DataCase {
    file: string;
    id: string;
    doc: string;
    quote: string;
    inferred: boolean;
    testContext: boolean;
    expect: string[];
    error: string | null;
    body: string[];
    line: number;
}

const dir = new URL('.', import.meta.url);

function parseFile(name: string): DataCase[] {
    const out: DataCase[] = [];
    let cur: DataCase | null = null;
    readFileSync(new URL(name, dir), 'utf8')
        .split('\n')
        .forEach((text, i) => {
            const m = /^\/\/ @(\w+)(?: (.*))?$/.exec(text);
            if (m?.[1] === 'case') {
                cur = {
                    file: name,
                    id: m[2] ?? '',
                    doc: '',
                    quote: '',
                    inferred: false,
                    testContext: false,
                    expect: [],
                    error: null,
                    body: [],
                    line: i + 2
                };
                out.push(cur);
                return;
            }
            if (!cur) return;
            const c: DataCase = cur;
            if (m && c.body.length === 0) {
                const v = m[2] ?? '';
                if (m[1] === 'doc') c.doc = v;
                else if (m[1] === 'quote') c.quote = v;
                else if (m[1] === 'inferred') c.inferred = true;
                else if (m[1] === 'context') c.testContext = v === 'test';
                else if (m[1] === 'expect') c.expect.push(v);
                else if (m[1] === 'error') c.error = v;
                else throw new Error(`${name}:${i + 1}: unknown tag @${m[1]}`);
                c.line = i + 2;
                return;
            }
            c.body.push(text);
        });
    return out;
}

const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.apex'))
    .sort()
    .flatMap(parseFile);

describe('Apex data-side conformance (SOQL, DML, triggers, async, callouts)', () => {
    let rt: ApexRuntime;
    before(async () => {
        rt = await ApexRuntime.create({
            sourceDirs: [fileURLToPath(new URL('src', dir))],
            debug: () => undefined
        });
    });

    it('has at least 200 cases, each citing a documentation page and quoting it', () => {
        assert.ok(cases.length >= 200, `only ${cases.length} cases`);
        const ids = new Set<string>();
        for (const c of cases) {
            assert.match(
                c.doc,
                /^https:\/\/developer\.salesforce\.com\/docs\//,
                `${c.id}: @doc must be a Salesforce documentation URL`
            );
            assert.ok(c.quote.length > 10, `${c.id}: @quote missing`);
            assert.ok(c.expect.length > 0 || c.error !== null, `${c.id}: no @expect or @error`);
            assert.ok(!ids.has(c.id), `duplicate case id ${c.id}`);
            ids.add(c.id);
        }
    });

    for (const c of cases) {
        it(`${c.file} ${c.id}${c.inferred ? ' (inferred)' : ''}`, () => {
            const ip = rt.interp;
            ip.hooks.transaction.restore(ip, undefined);
            const run = rt.prepareAnonymous(
                '\n'.repeat(c.line - 1) + c.body.join('\n'),
                `data/conformance/${c.file}`
            );
            // runPrepared starts a non-test transaction; a test-context case switches to test mode first.
            const res = rt.runPrepared(() => {
                ip.test.running = c.testContext;
                run();
            });
            ip.test.running = false;
            assert.deepEqual(res.debug, c.expect, `${c.id}: debug output`);
            if (c.error === null)
                assert.equal(res.ok, true, `${c.id}: unexpected ${res.error}\n${res.stackTrace}`);
            else assert.equal(res.error, c.error, `${c.id}: uncaught exception`);
        });
    }
});
