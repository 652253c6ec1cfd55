/** Uniform finding output for the gates: `file:line:col [rule] message`, then a one-line verdict. */

export interface Finding {
    file: string;
    line?: number | undefined;
    column?: number | undefined;
    rule: string;
    message: string;
}

export function formatFinding(f: Finding): string {
    const where =
        f.line === undefined ? f.file : `${f.file}:${f.line}${f.column === undefined ? '' : `:${f.column}`}`;
    return `${where} [${f.rule}] ${f.message}`;
}

/** Prints every finding and a summary; returns the process exit code (0 clean, 1 findings). */
export function report(gate: string, findings: Finding[], checked: string): number {
    for (const f of findings) console.error(formatFinding(f));
    if (findings.length > 0) {
        console.error(`${gate}: ${findings.length} finding(s); ${checked}`);
        return 1;
    }
    console.log(`${gate}: ok; ${checked}`);
    return 0;
}
