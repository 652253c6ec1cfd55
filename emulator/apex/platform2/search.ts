/**
 * `Search.query` / `Search.find` (dynamic SOSL, `Search.SearchResults`) and `Test.setFixedSearchResults`.
 * Apex Reference, "Search Class": query(String) "Creates a dynamic SOSL query at run time", returning
 * List<List<SObject>>; Apex Developer Guide, "Dynamic SOSL": "Dynamic SOSL queries have the same governor
 * limits as static queries" and bind variables work as in dynamic SOQL.
 * Apex Developer Guide, "Adding SOSL Queries to Unit Tests": Test.setFixedSearchResults "define[s] a list of
 * record IDs that are returned by the search" for the SOSL queries that follow in the test method.
 */
import type { ApexContext } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexId, ApexList, NativeObject } from '../runtime/values.js';
import { FIXED_SEARCH_RESULTS, isSObject, searchValue, sideOf } from '../data/index.js';
import type { SearchResult } from '../data/search.js';
import { accessArg, binder } from './database.js';

function run(ctx: ApexContext, text: unknown, access: unknown): SearchResult[] {
    if (typeof text !== 'string')
        throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
    return sideOf(ctx).search(ctx, text, binder(ctx, null), accessArg(access));
}

/** Search.SearchResults: the rows of Search.find by object ("SearchResults Class"). */
class SearchResults extends NativeObject<readonly SearchResult[]> {
    constructor(lists: readonly SearchResult[]) {
        super('search.searchresults', lists);
    }
}

/** Search.SearchResult: "A wrapper object that contains an sObject and search metadata." */
class SearchHit extends NativeObject<{ record: unknown }> {
    constructor(record: unknown) {
        super('search.searchresult', { record });
    }
}

/** Record ids of a List<Id>, List<String> or List<SObject> argument. */
function idsOf(list: unknown): ApexId[] {
    if (!(list instanceof ApexList)) return [];
    return list.items.flatMap((x) => {
        const id = isSObject(x) ? x.get('Id') : x instanceof ApexId ? x : ApexId.tryParse(String(x));
        return id instanceof ApexId ? [id] : [];
    });
}

export function installSearch(r: NativeRegistry): void {
    r.register({
        name: 'Search',
        statics: {
            'query/1': (ctx, [q]) => searchValue(run(ctx, q, null)),
            'query/2': (ctx, [q, al]) => searchValue(run(ctx, q, al)),
            'find/1': (ctx, [q]) => new SearchResults(run(ctx, q, null)),
            'find/2': (ctx, [q, al]) => new SearchResults(run(ctx, q, al))
        }
    });
    r.register({
        name: 'Search.SearchResults',
        methods: {
            // get(sObjectType): "Returns a list of Search.SearchResult objects that contain an sObject of the
            // specified type." An object the search did not return gives an empty list (not documented).
            get: (_c, self, [type]) => {
                const want = String(type ?? '').toLowerCase();
                const hit = (self as SearchResults).state.find((l) => l.def.name.toLowerCase() === want);
                return new ApexList(
                    { name: 'search.searchresult', display: 'Search.SearchResult' },
                    (hit?.records ?? []).map((rec) => new SearchHit(rec))
                );
            }
        }
    });
    r.register({
        name: 'Search.SearchResult',
        methods: {
            getsobject: (_c, self) => (self as SearchHit).state.record,
            getsnippet: () => {
                throw new ApexError(
                    'UnexpectedException',
                    'not supported locally: Search.SearchResult.getSnippet (WITH SNIPPET)'
                );
            }
        }
    });
    r.register({
        name: 'Test',
        statics: {
            setfixedsearchresults: (ctx, [ids]) => {
                // "if you call this method without specifying a list of record IDs, any SOSL queries that take
                // place later in the test method return an empty list of results."
                ctx.test.extra.set(FIXED_SEARCH_RESULTS, idsOf(ids));
                return null;
            }
        }
    });
}
