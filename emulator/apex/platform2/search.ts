/**
 * `Search.query` (dynamic SOSL) and `Test.setFixedSearchResults`.
 * Apex Reference, "Search Class": query(String) "Creates a dynamic SOSL query at run time", returning
 * List<List<SObject>>; Apex Developer Guide, "Dynamic SOSL": "Dynamic SOSL queries have the same governor
 * limits as static queries" and bind variables work as in dynamic SOQL.
 * Apex Developer Guide, "Adding SOSL Queries to Unit Tests": Test.setFixedSearchResults "define[s] a list of
 * record IDs that are returned by the search" for the SOSL queries that follow in the test method.
 */
import type { ApexContext } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexId, ApexList } from '../runtime/values.js';
import { FIXED_SEARCH_RESULTS, isSObject, sideOf } from '../data/index.js';
import { accessArg, binder } from './database.js';

function searchQuery(ctx: ApexContext, text: unknown, access: unknown): ApexList {
    if (typeof text !== 'string')
        throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
    return sideOf(ctx).search(ctx, text, binder(ctx, null), accessArg(access));
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
            'query/1': (ctx, [q]) => searchQuery(ctx, q, null),
            'query/2': (ctx, [q, al]) => searchQuery(ctx, q, al)
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
