/**
 * gate:proofs — every gate is run on its known-bad sample (samples/bad/<gate>, outside the package)
 * and must fail naming the rule, field or file at fault; where a gate could be too eager, a
 * known-good sample (samples/good/...) must pass. A gate that cannot fail is a defect.
 *
 * Run: node --import tsx --test scripts/gates/__tests__/*.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT } from '../../lib/files.ts';
import { scanSuppressions } from '../pmd.ts';

const BIN = join(ROOT, 'node_modules/.bin');

interface Run {
    status: number | null;
    output: string;
}

function run(command: string, args: string[], cwd = ROOT): Run {
    const result = spawnSync(command, args, {
        cwd,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const gate = (script: string, ...args: string[]): Run =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/gates', script), ...args]);

function assertFailsNaming(result: Run, expected: (string | RegExp)[]): void {
    assert.notEqual(result.status, 0, `the gate passed its known-bad sample:\n${result.output}`);
    for (const e of expected) {
        if (typeof e === 'string')
            assert.ok(result.output.includes(e), `output does not name ${e}:\n${result.output}`);
        else assert.match(result.output, e);
    }
}

describe('gate:typecheck', () => {
    it('rejects implicit any and possibly-null access under the LWC compiler options', () => {
        const result = run(join(BIN, 'tsc'), ['-p', 'samples/bad/typecheck/tsconfig.json']);
        assertFailsNaming(result, [
            /badTypes\.ts\(4,\d+\): error TS7006/,
            /badTypes\.ts\(10,\d+\): error TS2531/
        ]);
    });

    it('rejects a type error under the Node-side options', () => {
        const result = run(join(BIN, 'tsc'), ['-p', 'samples/bad/typecheck/tsconfig.node.json']);
        assertFailsNaming(result, [/bad-types\.ts\(2,\d+\): error TS2322/]);
    });
});

describe('gate:lint', () => {
    it('applies the LWC rules to LWC TypeScript and typescript-eslint to other TypeScript', () => {
        const result = run(join(BIN, 'eslint'), ['--no-ignore', '--max-warnings', '0', 'samples/bad/lint']);
        assertFailsNaming(result, [
            'badLint.ts',
            '@lwc/lwc/no-inner-html',
            '@lwc/lwc/no-api-reassignments',
            'bad-lint.ts',
            '@typescript-eslint/no-explicit-any'
        ]);
    });
});

describe('gate:format', () => {
    it('flags Apex, TypeScript and XML that prettier would rewrite', () => {
        const result = run(join(BIN, 'prettier'), ['--check', 'samples/bad/format']);
        assertFailsNaming(result, ['BadlyFormatted.cls', 'badlyFormatted.ts', 'badlyFormatted.xml']);
    });
});

describe('gate:jest', () => {
    it('fails on a failing test and on line coverage under 90 %', () => {
        const result = run(
            join(BIN, 'sfdx-lwc-jest'),
            ['--coverage', '--', '--ci'],
            join(ROOT, 'samples/bad/jest')
        );
        assertFailsNaming(result, [
            'reviewCounter.test.ts',
            'counts an empty list as two reviews',
            'coverage threshold for lines (90%) not met'
        ]);
    });
});

describe('gate:lwc-compile', () => {
    it('rejects a template the platform compiler refuses', () => {
        const result = gate('lwc-compile.ts', 'samples/bad/lwc-compile');
        assertFailsNaming(result, ['badTemplate.html:3', '[LWC1034]', 'Ambiguous attribute value']);
    });
});

describe('gate:apex-syntax', () => {
    it('reports a syntax error and a class named unlike its file', () => {
        const result = gate('apex-syntax.ts', 'samples/bad/apex-syntax');
        assertFailsNaming(result, [
            "MissingSemicolon.cls:5:9 [apex-syntax] missing ';'",
            'WrongFileName.cls:2 [apex-file-name] declares NotTheFileName'
        ]);
    });
});

describe('gate:apex-semantic', () => {
    it('reports an unknown field of a custom object that exists only in the workspace metadata', () => {
        const result = gate('apex-semantic.ts', 'samples/bad/apex-semantic');
        assertFailsNaming(result, ["WidgetSizer.cls:4:25 [apex-ls:Missing] Unknown field 'Colour__c'"]);
        assert.ok(!result.output.includes('Size__c'), 'Size__c exists on Widget__c and must not be reported');
    });
});

describe('gate:pmd', () => {
    // One PMD run over both samples (each run starts a JVM): findings must name the bad sample only.
    let result: Run;
    before(() => {
        result = gate('pmd.ts', 'samples/bad/pmd', 'samples/good/pmd-user-mode');
    });

    it('reports the AppExchange security-review defects planted in the sample', () => {
        assertFailsNaming(result, [
            '[PMD.ApexSharingViolations]',
            '[PMD.ApexSOQLInjection]',
            'LeakyReviewExporter.cls:10:16 [PMD.ApexCRUDViolation]',
            '[PMD.OperationWithLimitsInLoop]',
            '[PMD.AvoidHardcodingId]',
            '[PMD.ApexInsecureEndpoint]',
            '[PMD.ApexSuggestUsingNamedCred]',
            '[PMD.AvoidHardcodedCredentialsInHttpHeader]',
            '[PMD.ApexBadCrypto]',
            '[PMD.ApexDoc]',
            "LeakyReviewExporter.cls:41 @SuppressWarnings('PMD.ExcessiveParameterList')",
            '[pmd-suppression-without-reason]'
        ]);
    });

    it('accepts user-mode SOQL and DML (WITH USER_MODE, insert as user, AccessLevel.USER_MODE)', () => {
        assert.match(result.output, /\d+ rules over 2 Apex files/);
        assert.ok(!result.output.includes('UserModeReviewReader.cls'), result.output);
    });

    it('reads suppression reasons and rejects blanket and NOPMD suppressions', () => {
        const source = [
            '// Plumbing: the install handler runs without a user context.',
            "@SuppressWarnings('PMD.ApexCRUDViolation')",
            "@SuppressWarnings('PMD.AvoidGlobalModifier') // the platform calls it",
            "@SuppressWarnings('PMD')",
            'Integer x = 1; // NOPMD'
        ].join('\n');
        const { suppressions, findings } = scanSuppressions('X.cls', source);
        assert.deepEqual(
            suppressions.map((s) => [s.line, s.reason]),
            [
                [2, 'Plumbing: the install handler runs without a user context.'],
                [3, 'the platform calls it'],
                [4, '']
            ]
        );
        assert.deepEqual(
            findings.map((f) => `${f.line} ${f.rule}`),
            ['4 pmd-blanket-suppression', '4 pmd-suppression-without-reason', '5 pmd-nopmd-marker']
        );
    });
});

describe('gate:metadata', () => {
    it('names every planted metadata defect', () => {
        const result = gate('metadata.ts', 'samples/bad/metadata');
        assertFailsNaming(result, [
            'Broken__c.field-meta.xml:7 [xml-parse]',
            'WidgetSelector.cls [apex-meta] missing WidgetSelector.cls-meta.xml',
            'widgetCard [lwc-meta] bundle widgetCard has no widgetCard.js-meta.xml',
            'Size__c.field-meta.xml:8 [field] unknown field type Numbr',
            'Colour__c.field-meta.xml [field] Text field needs <length>',
            '[field] unknown CustomField element <lenght>',
            'Widget_User.permissionset-meta.xml:4 [reference] unknown Apex class WidgetController',
            '[reference] field permission on Widget__c.Weight__c: unknown field Widget__c.Weight__c',
            'Widget_Home.tab-meta.xml:3 [reference] unknown flexipage Widget_Home_Page',
            'Widget Layout.layout-meta.xml:13 [reference] unknown field Widget__c.Height__c',
            'All.listView-meta.xml:5 [reference] unknown field Widget__c.Weight__c',
            'Widget_Record_Page.flexipage-meta.xml:6 [reference] unknown LWC widgetGallery',
            'WidgetSelector.cls:5 [label] unknown custom label TP_No_Such_Label',
            'widgetCard.ts:5 [label] unknown custom label TP_Widget_Subtitle',
            'widgetCard.ts:6 [lwc-import] unknown field Widget__c.Weight__c',
            'WidgetSelector.cls:9 [soql-schema] unknown field Widget__c.Colr__c',
            'WidgetSelector.cls:13 [soql-schema] unknown field Account.Nme (via Widget__c.Account__r)',
            'WidgetSelector.cls:17 [soql-schema] unknown object Widgit__c in FROM',
            'WidgetSelector.cls:21 [soql-schema] Account has no child relationship Gadgets__r',
            'WidgetSelector.cls:25 [soql-schema] unknown field Contact.Emial',
            'OldVersion.cls-meta.xml:3 [apex-meta] apiVersion 58.0 differs from sourceApiVersion 65.0',
            '[reference] field permission on required field Widget__c.Code__c',
            'Mode__c.field-meta.xml:6 [field] custom settings cannot have Picklist fields'
        ]);
        assert.ok(!result.output.includes('TP_Widget_Title'), 'an existing label was reported');
    });

    it('accepts valid relationship paths, child subqueries, semi-joins, aggregates and TYPEOF', () => {
        const result = gate('metadata.ts', 'samples/good/metadata');
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /metadata: ok; .* 13 SOQL queries/);
    });
});
