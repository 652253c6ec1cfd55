/**
 * Conformance suite of the local Apex runtime: every `*.apex` file in this folder holds cases
 *
 *   // @case <id>
 *   // @doc <URL of the Apex Developer Guide / Apex Reference page>
 *   // @quote <the sentence of that page the expected result relies on>
 *   // @inferred            (present when the page does not state the result itself)
 *   // @expect <line>       (each expected System.debug line, in order)
 *   // @error <text>        (the uncaught exception `Type: message` the case must end with)
 *   <anonymous Apex>
 *
 * Each case runs as anonymous Apex in a fresh transaction and must print exactly the expected lines.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { ApexRuntime } from '../index.js';

export interface ConformanceCase {
    readonly file: string;
    readonly id: string;
    readonly doc: string;
    readonly quote: string;
    readonly inferred: boolean;
    readonly expect: string[];
    readonly error: string | null;
    readonly source: string;
    readonly line: number;
}

const dir = new URL('.', import.meta.url);

export function loadCases(): ConformanceCase[] {
    const cases: ConformanceCase[] = [];
    for (const name of readdirSync(dir)
        .filter((f) => f.endsWith('.apex'))
        .sort()) {
        const lines = readFileSync(new URL(name, dir), 'utf8').split('\n');
        let cur: {
            id: string;
            doc: string;
            quote: string;
            inferred: boolean;
            expect: string[];
            error: string | null;
            body: string[];
            line: number;
        } | null = null;
        const flush = (): void => {
            if (!cur) return;
            // Keep line numbers meaningful: pad the source so line N of the file is line N of the case.
            const source = '\n'.repeat(cur.line - 1) + cur.body.join('\n');
            cases.push({
                file: name,
                id: cur.id,
                doc: cur.doc,
                quote: cur.quote,
                inferred: cur.inferred,
                expect: cur.expect,
                error: cur.error,
                source,
                line: cur.line
            });
        };
        lines.forEach((text, i) => {
            const m = /^\/\/ @(\w+)(?: (.*))?$/.exec(text);
            if (m && m[1] === 'case') {
                flush();
                cur = {
                    id: m[2] ?? '',
                    doc: '',
                    quote: '',
                    inferred: false,
                    expect: [],
                    error: null,
                    body: [],
                    line: i + 2
                };
                return;
            }
            if (!cur) return;
            if (m && cur.body.length === 0) {
                const v = m[2] ?? '';
                switch (m[1]) {
                    case 'doc':
                        cur.doc = v;
                        break;
                    case 'quote':
                        cur.quote = v;
                        break;
                    case 'inferred':
                        cur.inferred = true;
                        break;
                    case 'expect':
                        cur.expect.push(v);
                        break;
                    case 'error':
                        cur.error = v;
                        break;
                    default:
                        throw new Error(`${name}:${i + 1}: unknown tag @${m[1]}`);
                }
                cur.line = i + 2;
                return;
            }
            cur.body.push(text);
        });
        flush();
    }
    return cases;
}

const cases = loadCases();

describe('Apex conformance', () => {
    let rt: ApexRuntime;
    before(async () => {
        rt = await ApexRuntime.create({ sourceDirs: [], debug: () => undefined });
    });

    it('has at least 300 cases, each citing a documentation page and quoting it', () => {
        assert.ok(cases.length >= 300, `only ${cases.length} cases`);
        const ids = new Set<string>();
        for (const c of cases) {
            assert.match(
                c.doc,
                /^https:\/\/developer\.salesforce\.com\/docs\//,
                `${c.file} ${c.id}: @doc must be a Salesforce documentation URL`
            );
            assert.ok(c.quote.length > 10, `${c.file} ${c.id}: @quote missing`);
            assert.ok(c.expect.length > 0 || c.error !== null, `${c.file} ${c.id}: no @expect or @error`);
            assert.ok(!ids.has(c.id), `duplicate case id ${c.id}`);
            ids.add(c.id);
        }
    });

    for (const c of cases) {
        it(`${c.file} ${c.id}${c.inferred ? ' (inferred)' : ''}`, () => {
            const res = rt.runAnonymous(c.source, `conformance/${c.file}`);
            assert.deepEqual(res.debug, c.expect, `${c.id}: debug output`);
            if (c.error === null)
                assert.equal(res.ok, true, `${c.id}: unexpected ${res.error}\n${res.stackTrace}`);
            else assert.equal(res.error, c.error, `${c.id}: uncaught exception`);
        });
    }
});
