/** Syntax tree of a SOQL query (SOQL and SOSL Reference, "SOQL SELECT Syntax"). */

export interface Bind {
    readonly kind: 'bind';
    /** Position among the query's bind expressions, in source order. */
    readonly index: number;
    /** Expression text after the colon. */
    readonly text: string;
}

export type Literal =
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'number'; readonly text: string }
    | { readonly kind: 'boolean'; readonly value: boolean }
    | { readonly kind: 'null' }
    | { readonly kind: 'date'; readonly text: string }
    | { readonly kind: 'datetime'; readonly text: string }
    | { readonly kind: 'dateLiteral'; readonly name: string; readonly n?: number };

export type Value = Literal | Bind;

/** A field reference (`Name`, `Account.Owner.Name`) or a date function over one (`CALENDAR_YEAR(CreatedDate)`). */
export interface FieldRef {
    readonly kind: 'field';
    readonly path: readonly string[];
    readonly fn?: string;
    /** `convertTimezone()` inside the date function: a dateTime is taken in the running user's time zone. */
    readonly userZone?: boolean;
    /** `SELECT Name n ... GROUP BY Name`: the field's name in the AggregateResult (aggregate queries only). */
    readonly alias?: string;
}

export type SelectItem =
    | FieldRef
    | {
          readonly kind: 'agg';
          readonly fn: string;
          readonly arg: FieldRef | null;
          readonly alias: string | null;
      }
    | { readonly kind: 'subquery'; readonly query: Query }
    | { readonly kind: 'count' }
    | { readonly kind: 'toLabel'; readonly field: FieldRef; readonly alias: string | null };

export type Condition =
    | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
    | { readonly kind: 'not'; readonly item: Condition }
    | { readonly kind: 'cmp'; readonly left: FieldRef | AggRef; readonly op: string; readonly right: Value }
    | {
          readonly kind: 'in';
          readonly left: FieldRef;
          readonly not: boolean;
          readonly values: readonly Value[] | Bind | Query;
      }
    | {
          readonly kind: 'includes';
          readonly left: FieldRef;
          readonly not: boolean;
          readonly values: readonly Value[];
      };

export interface AggRef {
    readonly kind: 'agg';
    readonly fn: string;
    readonly arg: FieldRef | null;
}

export interface OrderItem {
    readonly field: FieldRef | AggRef;
    readonly desc: boolean;
    readonly nullsLast: boolean;
}

export interface Query {
    readonly select: readonly SelectItem[];
    readonly from: string;
    readonly alias: string | null;
    readonly where: Condition | null;
    readonly withClauses: readonly string[];
    readonly groupBy: readonly FieldRef[];
    readonly having: Condition | null;
    readonly orderBy: readonly OrderItem[];
    readonly limit: Value | null;
    readonly offset: Value | null;
    readonly forUpdate: boolean;
    readonly allRows: boolean;
    /** Number of binds in the whole query text (including subqueries). */
    readonly bindCount: number;
}

/** `IN ... FIELDS` of a SOSL query (SOQL and SOSL Reference, "IN SearchGroup"); ALL when not written. */
export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

/**
 * A SOSL query (SOQL and SOSL Reference, "SOSL Syntax"):
 * `FIND {SearchQuery} [IN SearchGroup] [RETURNING ObjectType[(FieldList [WHERE] [ORDER BY] [LIMIT] [OFFSET])], ...]
 * [WITH ...] [LIMIT n]`. Each RETURNING object is kept as a SOQL Query over that object so the SOQL
 * evaluator filters, orders and windows its rows.
 */
export interface SoslQuery {
    /** The search text (a string literal, `{...}`, or a bind). */
    readonly find: Value;
    readonly searchGroup: SearchGroup;
    readonly returning: readonly Query[];
    readonly withClauses: readonly string[];
    readonly limit: Value | null;
    readonly bindCount: number;
}
