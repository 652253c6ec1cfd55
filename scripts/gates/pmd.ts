/**
 * gate:pmd — PMD 7 through @salesforce/code-analyzer-core: the committed ruleset
 * (config/pmd-ruleset.xml: AppExchange security review rules) plus Code Analyzer's pmd:Recommended,
 * over every Apex file. Zero violations allowed.
 *
 * Suppressions: only PMD's own per-element `@SuppressWarnings('PMD.RuleName')`, each with a reason in
 * a comment on that line or the line above. The gate prints every suppression with file:line and
 * reason, and reports as findings: a suppression without a reason, a blanket `'PMD'` suppression,
 * and `// NOPMD` line markers. Code Analyzer's own inline suppression markers are disabled.
 *
 * Usage: tsx scripts/gates/pmd.ts [root ...]   (default root: force-app)
 */
import {
    CodeAnalyzer,
    CodeAnalyzerConfig,
    EventType,
    LogLevel,
    type LogEvent
} from '@salesforce/code-analyzer-core';
import * as pmdEngine from '@salesforce/code-analyzer-pmd-engine';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { apexFiles } from '../lib/apex.ts';
import { ROOT } from '../lib/files.ts';
import { report, type Finding } from '../lib/report.ts';

export const RULESET = 'config/pmd-ruleset.xml';
/** The ruleset's name without spaces: Code Analyzer tags each rule of a custom ruleset with it. */
const RULESET_TAG = 'TrustpilotPackage';

export interface Suppression {
    file: string;
    line: number;
    rules: string;
    reason: string;
}

/** Finds `@SuppressWarnings('PMD...')` annotations and `NOPMD` markers in Apex source. */
export function scanSuppressions(
    file: string,
    source: string
): { suppressions: Suppression[]; findings: Finding[] } {
    const suppressions: Suppression[] = [];
    const findings: Finding[] = [];
    const lines = source.split('\n');
    const comment = (text: string | undefined): string => {
        const m = /\/\/\s*(.+)$/.exec(text ?? '') ?? /\/\*+\s*(.+?)\s*\*+\/\s*$/.exec(text ?? '');
        return m?.[1]?.trim() ?? '';
    };
    lines.forEach((text, index) => {
        const line = index + 1;
        for (const m of text.matchAll(/@SuppressWarnings\s*\(\s*'([^']*)'\s*\)/gi)) {
            const rules = m[1] ?? '';
            if (!/^\s*PMD/i.test(rules)) continue;
            const after = text.slice((m.index ?? 0) + m[0].length);
            const reason =
                comment(after) || comment(lines[index - 1]?.trim().startsWith('//') ? lines[index - 1] : '');
            suppressions.push({ file, line, rules, reason });
            if (rules.split(',').some((r) => r.trim().toUpperCase() === 'PMD')) {
                findings.push({
                    file,
                    line,
                    rule: 'pmd-blanket-suppression',
                    message: `@SuppressWarnings('${rules}') silences every PMD rule: name the rule (PMD.RuleName)`
                });
            }
            if (reason === '') {
                findings.push({
                    file,
                    line,
                    rule: 'pmd-suppression-without-reason',
                    message: `@SuppressWarnings('${rules}') needs a reason in a // comment on the same line or the line above`
                });
            }
        }
        if (/\/\/.*\bNOPMD\b/.test(text)) {
            findings.push({
                file,
                line,
                rule: 'pmd-nopmd-marker',
                message:
                    'NOPMD line markers are not allowed: fix the code or suppress on the element with a reason'
            });
        }
    });
    return { suppressions, findings };
}

export async function runPmd(roots: string[]): Promise<{
    findings: Finding[];
    suppressions: Suppression[];
    rules: number;
    files: number;
}> {
    const files = apexFiles(roots);
    const findings: Finding[] = [];
    const suppressions: Suppression[] = [];
    for (const file of files) {
        const scanned = scanSuppressions(file, readFileSync(join(ROOT, file), 'utf8'));
        suppressions.push(...scanned.suppressions);
        findings.push(...scanned.findings);
    }
    if (files.length === 0) return { findings, suppressions, rules: 0, files: 0 };

    const config = CodeAnalyzerConfig.fromObject(
        {
            log_level: LogLevel.Error,
            suppressions: { disable_suppressions: true },
            engines: {
                pmd: { rule_languages: ['apex'], custom_rulesets: [RULESET] },
                cpd: { disable_engine: true }
            }
        },
        ROOT
    );
    const analyzer = new CodeAnalyzer(config);
    const errors: string[] = [];
    analyzer.onEvent<LogEvent>(EventType.LogEvent, (event) => {
        if (event.logLevel === LogLevel.Error) errors.push(event.message);
    });
    await analyzer.addEnginePlugin(pmdEngine.createEnginePlugin());
    const workspace = await analyzer.createWorkspace(files.map((f) => join(ROOT, f)));
    const selection = await analyzer.selectRules([`pmd:${RULESET_TAG}`, 'pmd:Recommended'], { workspace });
    const rules = selection.getRulesFor('pmd');
    if (errors.length > 0 || !rules.some((r) => r.getTags().includes(RULESET_TAG))) {
        throw new Error(`PMD could not load ${RULESET}:\n${errors.join('\n')}`);
    }
    const results = await analyzer.run(selection, { workspace });
    if (errors.length > 0) throw new Error(`PMD run failed:\n${errors.join('\n')}`);
    for (const v of results.getViolations()) {
        const at = v.getPrimaryLocation();
        findings.push({
            file: relative(ROOT, at.getFile() ?? '?'),
            line: at.getStartLine(),
            column: at.getStartColumn(),
            rule: `PMD.${v.getRule().getName()}`,
            message: v.getMessage().trim()
        });
    }
    return { findings, suppressions, rules: rules.length, files: files.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const roots = process.argv.slice(2);
    try {
        const { findings, suppressions, rules, files } = await runPmd(
            roots.length > 0 ? roots : ['force-app']
        );
        console.log(`pmd: ${suppressions.length} suppression(s)`);
        for (const s of suppressions) {
            console.log(
                `  ${s.file}:${s.line} @SuppressWarnings('${s.rules}') — ${s.reason || '(no reason given)'}`
            );
        }
        process.exit(report('pmd', findings, `${rules} rules over ${files} Apex files`));
    } catch (err) {
        console.error(`pmd: ${(err as Error).message}`);
        process.exit(1);
    }
}
