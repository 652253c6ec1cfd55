/**
 * SOQL entry points for the data side (emulator/apex/data/).
 *
 * - Static queries arrive already parsed as `SoqlNode` (ast.ts): `node.tree` is the apex-parser
 *   `QueryContext`, `node.bindIndex.get(boundExpressionCtx)` gives the index to pass to the
 *   hook's `BindResolver`.
 * - Dynamic queries (`Database.query(text)`) are parsed with `parseSoql` below: the same tree
 *   shape; each bind is returned as the source text of its expression (`:name` -> 'name') so the
 *   caller can resolve it (`ctx.evalBind(text)` for Database.query, the Map for queryWithBinds).
 */
import type { ApexParserRuleContext as ParserRuleContext } from '@apexdevtools/apex-parser';
import * as P from '@apexdevtools/apex-parser';
import { parseQuery } from './parse.js';
import { sourceText } from './lower.js';

export interface ParsedSoql {
    readonly tree: P.QueryContext;
    /** Bind expressions' source text, in source order. */
    readonly binds: readonly string[];
    readonly bindIndex: ReadonlyMap<ParserRuleContext, number>;
}

/** Parses a SOQL query string (without brackets); throws ApexSyntaxError (file 'soql') when invalid. */
export function parseSoql(text: string): ParsedSoql {
    const tree = parseQuery('soql', text);
    const binds: string[] = [];
    const bindIndex = new Map<ParserRuleContext, number>();
    const visit = (n: ParserRuleContext): void => {
        if (n instanceof P.BoundExpressionContext) {
            bindIndex.set(n, binds.length);
            binds.push(sourceText(n.expression()));
            return;
        }
        for (let i = 0; i < n.getChildCount(); i++) {
            const c = n.getChild(i) as ParserRuleContext;
            if (typeof c.getChildCount === 'function' && 'start' in c) visit(c);
        }
    };
    visit(tree);
    return { tree, binds, bindIndex };
}

export { sourceText };
export * as ApexParserTree from '@apexdevtools/apex-parser';
