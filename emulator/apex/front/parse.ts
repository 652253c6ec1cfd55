/**
 * The only module of the runtime that talks to `@apexdevtools/apex-parser` directly
 * (with ./lower.ts and ./soql.ts, which only consume the trees it returns).
 */
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import type {
    AnonymousUnitContext,
    CompilationUnitContext,
    QueryContext,
    TriggerUnitContext
} from '@apexdevtools/apex-parser';
import type { ApexParser } from '@apexdevtools/apex-parser';

/** A syntax error in Apex source, with the position it was found at. */
export class ApexSyntaxError extends Error {
    constructor(
        readonly file: string,
        readonly line: number,
        readonly column: number,
        readonly detail: string
    ) {
        super(`${file}:${line}:${column} ${detail}`);
        this.name = 'ApexSyntaxError';
    }
}

class Collector extends ApexErrorListener {
    readonly errors: { line: number; column: number; msg: string }[] = [];
    apexSyntaxError(line: number, column: number, msg: string): void {
        this.errors.push({ line, column, msg });
    }
}

function parseWith<T>(file: string, source: string, entry: (p: ApexParser) => T): T {
    const listener = new Collector();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    const tree = entry(parser);
    if (listener.errors.length > 0) {
        const e = listener.errors[0];
        throw new ApexSyntaxError(file, e.line, e.column, e.msg);
    }
    return tree;
}

export function parseClass(file: string, source: string): CompilationUnitContext {
    return parseWith(file, source, (p) => p.compilationUnit());
}

export function parseTrigger(file: string, source: string): TriggerUnitContext {
    return parseWith(file, source, (p) => p.triggerUnit());
}

export function parseAnonymous(file: string, source: string): AnonymousUnitContext {
    return parseWith(file, source, (p) => p.anonymousUnit());
}

export function parseQuery(file: string, source: string): QueryContext {
    return parseWith(file, source, (p) => p.query());
}
