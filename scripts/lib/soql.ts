/**
 * Object and field names inside static SOQL, checked against the schema. apex-ls does not look
 * inside SOQL, so a misspelt field in `[SELECT ... FROM ...]` would only fail on deploy; this walks
 * the apex-parser SOQL sub-tree instead: FROM objects, field paths through parent relationships
 * (`Contact.Email`, `Owner.Name`, `Business_Unit__r.Name`), child-relationship subqueries
 * (`(SELECT Id FROM Contacts)`, `(SELECT Id FROM Reviews__r)`), semi-joins, TYPEOF, aggregates and
 * their aliases. Reference: SOQL and SOSL Reference, "Relationship Queries"
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships.htm
 */
import {
    ElseClauseContext,
    FieldNameContext,
    FromNameListContext,
    QueryContext,
    SelectEntryContext,
    SoslLiteralContext,
    SubFieldEntryContext,
    SubQueryContext,
    TypeOfContext,
    UsingScopeContext,
    WhenClauseContext,
    WithClauseContext,
    type ApexParseTree as ParseTree,
    type ApexParserRuleContext as ParserRuleContext
} from '@apexdevtools/apex-parser';
import type { Finding } from './report.ts';
import { findField, findObject, type ObjectInfo, type ProjectSchema } from './schema.ts';

type Query = QueryContext | SubQueryContext;

function childrenOf(node: ParseTree): ParseTree[] {
    return ((node as ParserRuleContext).children ?? []) as ParseTree[];
}

function lineOf(node: ParseTree): number | undefined {
    return (node as ParserRuleContext).start?.line;
}

export class SoqlChecker {
    readonly findings: Finding[] = [];
    queries = 0;

    constructor(
        private readonly schema: ProjectSchema,
        private readonly file: string
    ) {}

    private report(node: ParseTree, message: string): void {
        this.findings.push({ file: this.file, line: lineOf(node), rule: 'soql-schema', message });
    }

    /** Walks any Apex parse tree and checks every SOQL query in it. */
    walk(node: ParseTree): void {
        if (node instanceof SoslLiteralContext) return; // SOSL RETURNING lists are not checked
        if (node instanceof QueryContext) {
            this.checkQuery(node, undefined);
            return;
        }
        for (const child of childrenOf(node)) this.walk(child);
    }

    /** `parent` is set for a child-relationship subquery in a SELECT list. */
    private checkQuery(query: Query, parent: ObjectInfo | undefined): void {
        this.queries++;
        const from: FromNameListContext = query.fromNameList();
        const fromName = from.fieldName(0)?.getText() ?? '';
        const alias = from.soqlId(0)?.getText();
        let obj: ObjectInfo | undefined;
        if (parent) {
            const childName = parent.childRelationships.get(fromName.toLowerCase());
            obj = childName === undefined ? undefined : findObject(this.schema, childName);
            if (!obj) {
                this.report(from, `${parent.name} has no child relationship ${fromName}`);
                return;
            }
        } else {
            obj = findObject(this.schema, fromName);
            if (!obj) {
                this.report(from, `unknown object ${fromName} in FROM`);
                return;
            }
        }
        // Aliases of aggregates (`COUNT(Id) total`) may appear in ORDER BY and HAVING.
        const aliases = new Set<string>();
        for (const child of childrenOf(query)) {
            for (const entry of this.collect(
                child,
                (n) => n instanceof SelectEntryContext || n instanceof SubFieldEntryContext
            )) {
                const id = (entry as SelectEntryContext | SubFieldEntryContext).soqlId();
                if (id) aliases.add(id.getText().toLowerCase());
            }
        }
        for (const child of childrenOf(query)) {
            if (child === from) continue;
            this.visit(child, obj, alias, aliases);
        }
    }

    private collect(node: ParseTree, accept: (n: ParseTree) => boolean): ParseTree[] {
        if (node instanceof SubQueryContext || node instanceof QueryContext) return [];
        const out: ParseTree[] = accept(node) ? [node] : [];
        for (const child of childrenOf(node)) out.push(...this.collect(child, accept));
        return out;
    }

    private visit(node: ParseTree, obj: ObjectInfo, alias: string | undefined, aliases: Set<string>): void {
        if (node instanceof SubQueryContext) {
            const inSelect =
                node.parentCtx instanceof SelectEntryContext ||
                node.parentCtx instanceof SubFieldEntryContext;
            this.checkQuery(node, inSelect ? obj : undefined);
            return;
        }
        if (node instanceof QueryContext) {
            this.checkQuery(node, undefined);
            return;
        }
        if (
            node instanceof WithClauseContext ||
            node instanceof UsingScopeContext ||
            node instanceof SoslLiteralContext
        ) {
            return;
        }
        if (node instanceof TypeOfContext) {
            this.checkTypeOf(node, obj);
            return;
        }
        if (node instanceof FieldNameContext) {
            this.checkPath(node, obj, alias, aliases);
            return;
        }
        for (const child of childrenOf(node)) this.visit(child, obj, alias, aliases);
    }

    private checkTypeOf(node: TypeOfContext, obj: ObjectInfo): void {
        const relName = node.fieldName().getText();
        const rel = obj.parentRelationships.get(relName.toLowerCase());
        if (!rel) {
            this.report(node, `${obj.name} has no relationship ${relName} (TYPEOF)`);
            return;
        }
        for (const child of childrenOf(node)) {
            if (child instanceof WhenClauseContext) {
                const typeName = child.fieldName().getText();
                const target = findObject(this.schema, typeName);
                if (!target) {
                    this.report(child, `unknown object ${typeName} in TYPEOF ${relName} WHEN`);
                    continue;
                }
                for (const field of child.fieldNameList().fieldName_list()) {
                    this.checkPath(field, target, undefined, new Set());
                }
            } else if (child instanceof ElseClauseContext) {
                // ELSE fields apply to every other type; checked against the polymorphic Name object.
                const named = findObject(this.schema, 'Name');
                if (named) {
                    for (const field of child.fieldNameList().fieldName_list()) {
                        this.checkPath(field, named, undefined, new Set());
                    }
                }
            }
        }
    }

    private checkPath(
        node: FieldNameContext,
        start: ObjectInfo,
        alias: string | undefined,
        aliases: Set<string>
    ): void {
        let segments = node.soqlId_list().map((s) => s.getText());
        if (segments.length === 1 && aliases.has(segments[0]!.toLowerCase())) return;
        if (alias && segments.length > 1 && segments[0]!.toLowerCase() === alias.toLowerCase()) {
            segments = segments.slice(1);
        }
        let obj = start;
        const path: string[] = [];
        for (let i = 0; i < segments.length - 1; i++) {
            const seg = segments[i]!;
            const rel = obj.parentRelationships.get(seg.toLowerCase());
            const target = rel?.referenceTo[0];
            const next = target === undefined ? undefined : findObject(this.schema, target);
            if (!next) {
                this.report(node, `${obj.name} has no relationship ${seg} (in ${segments.join('.')})`);
                return;
            }
            path.push(seg);
            obj = next;
        }
        const last = segments[segments.length - 1]!;
        if (!findField(obj, last)) {
            const via = path.length > 0 ? ` (via ${start.name}.${path.join('.')})` : '';
            this.report(node, `unknown field ${obj.name}.${last}${via}`);
        }
    }
}
