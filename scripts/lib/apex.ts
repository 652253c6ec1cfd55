/** Parsing of the package's Apex with @apexdevtools/apex-parser, shared by the Apex gates. */
import {
    ApexErrorListener,
    ApexParserFactory,
    type CompilationUnitContext,
    type TriggerUnitContext
} from '@apexdevtools/apex-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, walk } from './files.ts';

export interface SyntaxError {
    line: number;
    column: number;
    message: string;
}

export interface ParsedApex {
    file: string;
    source: string;
    tree: CompilationUnitContext | TriggerUnitContext;
    errors: SyntaxError[];
}

class CollectingListener extends ApexErrorListener {
    readonly errors: SyntaxError[] = [];
    apexSyntaxError(line: number, column: number, message: string): void {
        this.errors.push({ line, column: column + 1, message });
    }
}

/** Every Apex class and trigger below the given roots (root-relative paths). */
export function apexFiles(roots: string[]): string[] {
    return roots.flatMap((root) => walk(root, (rel) => /\.(cls|trigger)$/.test(rel)));
}

export function parseApex(file: string): ParsedApex {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const listener = new CollectingListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    const tree = file.endsWith('.trigger') ? parser.triggerUnit() : parser.compilationUnit();
    return { file, source, tree, errors: listener.errors };
}
