/**
 * gate:apex-syntax — parses every .cls and .trigger with @apexdevtools/apex-parser (the grammar of
 * the platform compiler) and checks what the platform requires of a file's top-level declaration:
 * - `apex-syntax`: any lexer or parser error;
 * - `apex-file-name`: a class/interface/enum/trigger must be named like its file (Foo.cls declares Foo),
 *   which the platform enforces on deploy ("Apex Developer Guide: Class Definition" — the file is the class).
 *
 * Usage: tsx scripts/gates/apex-syntax.ts [root ...]   (default root: force-app)
 */
import { CompilationUnitContext, TriggerUnitContext } from '@apexdevtools/apex-parser';
import { basename } from 'node:path';
import { apexFiles, parseApex } from '../lib/apex.ts';
import { report, type Finding } from '../lib/report.ts';

function declaredName(
    tree: CompilationUnitContext | TriggerUnitContext
): { name: string; line: number } | undefined {
    if (tree instanceof TriggerUnitContext) {
        const id = tree.id(0);
        return id ? { name: id.getText(), line: id.start.line } : undefined;
    }
    const type = tree.typeDeclaration();
    const decl = type?.classDeclaration() ?? type?.interfaceDeclaration() ?? type?.enumDeclaration();
    const id = decl?.id();
    return id ? { name: id.getText(), line: id.start.line } : undefined;
}

export function checkApexSyntax(roots: string[]): { findings: Finding[]; files: number } {
    const findings: Finding[] = [];
    const files = apexFiles(roots);
    for (const file of files) {
        const parsed = parseApex(file);
        for (const e of parsed.errors) {
            findings.push({ file, line: e.line, column: e.column, rule: 'apex-syntax', message: e.message });
        }
        if (parsed.errors.length > 0) continue;
        const expected = basename(file).replace(/\.(cls|trigger)$/, '');
        const declared = declaredName(parsed.tree);
        if (declared && declared.name.toLowerCase() !== expected.toLowerCase()) {
            findings.push({
                file,
                line: declared.line,
                rule: 'apex-file-name',
                message: `declares ${declared.name} but the file is named ${expected}: the platform requires the same name`
            });
        }
    }
    return { findings, files: files.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const roots = process.argv.slice(2);
    const { findings, files } = checkApexSyntax(roots.length > 0 ? roots : ['force-app']);
    process.exit(report('apex-syntax', findings, `${files} Apex files parsed`));
}
