/**
 * `Database.merge` and `Database.MergeResult`.
 * Apex Reference, "Database Class": merge(masterRecord, duplicate) with a duplicate SObject or Id, or a list of
 * up to two of them, optionally followed by allOrNone ("if you specify false for this parameter and a record
 * fails, the remainder of the DML operation can still succeed") or an AccessLevel; returns one MergeResult.
 * Apex Reference, "MergeResult Class": getId, getMergedRecordIds, getUpdatedRelatedIds, isSuccess, getErrors.
 */
import type { ApexContext } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexList, NativeObject, T } from '../runtime/values.js';
import { dmlRecords, mergeRecords, sideOf } from '../data/index.js';
import type { MergeRowResult } from '../data/dml.js';
import { AccessLevelValue, DbError } from './database.js';

class MergeResult extends NativeObject<MergeRowResult> {
    constructor(r: MergeRowResult) {
        super('database.mergeresult', r);
    }
    override toString(): string {
        const s = this.state;
        return `Database.MergeResult[getErrors=(${s.errors.map((e) => e.message).join(', ')});getId=${s.id?.v ?? 'null'};getMergedRecordIds=(${s.mergedIds.map((i) => i.v).join(', ')});getUpdatedRelatedIds=(${s.updatedRelatedIds.map((i) => i.v).join(', ')});isSuccess=${s.success};]`;
    }
}

function merge(ctx: ApexContext, args: unknown[]): MergeResult {
    const [master, duplicates, ...rest] = args;
    let allOrNone = true;
    let userMode = false;
    for (const a of rest) {
        if (typeof a === 'boolean') allOrNone = a;
        else if (a instanceof AccessLevelValue) userMode = a.state.mode === 'USER_MODE';
        else if (a !== null)
            throw new ApexError(
                'UnexpectedException',
                `not supported locally: Database.merge option ${String(a)}`
            );
    }
    const pos = ctx.pos();
    const side = sideOf(ctx);
    const [masterRecord] = dmlRecords(master, pos);
    if (duplicates === null || duplicates === undefined)
        throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
    const res = side.merge(ctx, masterRecord, mergeRecords(side.schema, duplicates, pos), {
        allOrNone,
        userMode
    });
    return new MergeResult(res);
}

export function installMerge(r: NativeRegistry): void {
    r.register({ name: 'Database', statics: { merge: (ctx, args) => merge(ctx, args) } });
    const R = (s: unknown) => (s as MergeResult).state;
    r.register({
        name: 'Database.MergeResult',
        methods: {
            getid: (_c, s) => R(s).id,
            issuccess: (_c, s) => R(s).success,
            // "If no error occurred, returns null." (MergeResult Class, getErrors)
            geterrors: (_c, s) =>
                R(s).success
                    ? null
                    : new ApexList(
                          { name: 'database.error', display: 'Database.Error' },
                          R(s).errors.map((e) => new DbError(e))
                      ),
            getmergedrecordids: (_c, s) =>
                new ApexList(
                    T.string,
                    R(s).mergedIds.map((id) => id.v)
                ),
            getupdatedrelatedids: (_c, s) =>
                new ApexList(
                    T.string,
                    R(s).updatedRelatedIds.map((id) => id.v)
                )
        }
    });
}
