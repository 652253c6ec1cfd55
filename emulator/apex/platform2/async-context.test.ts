/**
 * The asynchronous context outside tests, where the local scheduler (scheduler.ts `tick`) runs the jobs:
 * System.isQueueable/isBatch/isFuture/isScheduled (Apex Reference, "System Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_system.htm) and
 * the asynchronous maximum of System.enqueueJob, 50 synchronous / 1 asynchronous, with synchronous limits
 * for scheduled Apex (Apex Developer Guide, "Execution Governors and Limits",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_gov_limits.htm).
 * The same rules inside tests (jobs run at Test.stopTest) are conformance cases in
 * ../data/conformance/async.apex.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApexRuntime } from '../index.js';
import { tick } from './scheduler.js';

const FLAGS = `
    public class Flags {
        public static void log(String who) {
            System.debug(who + ' queueable=' + System.isQueueable() + ' batch=' + System.isBatch()
                + ' future=' + System.isFuture() + ' scheduled=' + System.isScheduled()
                + ' enqueueLimit=' + Limits.getLimitQueueableJobs());
        }
    }
`;

async function runtime(): Promise<{ rt: ApexRuntime; lines: string[] }> {
    const lines: string[] = [];
    const rt = await ApexRuntime.create({ sourceDirs: [], debug: (_level, text) => lines.push(text) });
    return { rt, lines };
}

describe('asynchronous context outside tests (local scheduler)', () => {
    it('each kind of job sees its own flag and limit; the enqueuing transaction sees none', async () => {
        const { rt, lines } = await runtime();
        const enq = rt.runAnonymous(`
            ${FLAGS}
            public class Q implements Queueable {
                public void execute(QueueableContext c) { Flags.log('queueable'); }
            }
            public class B implements Database.Batchable<SObject> {
                public List<Account> start(Database.BatchableContext c) {
                    Flags.log('batch start');
                    return new List<Account>{ new Account(Name = 'a') };
                }
                public void execute(Database.BatchableContext c, List<Account> scope) { Flags.log('batch execute'); }
                public void finish(Database.BatchableContext c) { Flags.log('batch finish'); }
            }
            public class F {
                @future
                public static void run() { Flags.log('future'); }
            }
            public class S implements Schedulable {
                public void execute(SchedulableContext c) { Flags.log('scheduled'); }
            }
            Flags.log('synchronous');
            System.enqueueJob(new Q());
            Database.executeBatch(new B());
            F.run();
            System.schedule('flags every day at 3', '0 0 3 * * ?', new S());
        `);
        assert.equal(enq.ok, true, enq.error);
        assert.deepEqual(tick(rt), { jobs: 3, scheduled: 0, errors: [] });
        rt.interp.clock += 24 * 3600 * 1000;
        assert.deepEqual(tick(rt), { jobs: 0, scheduled: 1, errors: [] });
        const after = rt.runAnonymous(
            `System.debug('after ' + System.isQueueable() + ' ' + Limits.getLimitQueueableJobs());`
        );
        assert.equal(after.ok, true, after.error);
        assert.deepEqual(lines, [
            'synchronous queueable=false batch=false future=false scheduled=false enqueueLimit=50',
            'queueable queueable=true batch=false future=false scheduled=false enqueueLimit=1',
            'batch start queueable=false batch=true future=false scheduled=false enqueueLimit=1',
            'batch execute queueable=false batch=true future=false scheduled=false enqueueLimit=1',
            'batch finish queueable=false batch=true future=false scheduled=false enqueueLimit=1',
            'future queueable=false batch=false future=true scheduled=false enqueueLimit=1',
            // "synchronous limits apply to scheduled Apex jobs"
            'scheduled queueable=false batch=false future=false scheduled=true enqueueLimit=50',
            'after false 50'
        ]);
    });

    it('a running Queueable may add one job: the second enqueue fails the job and rolls back its work', async () => {
        const { rt } = await runtime();
        const enq = rt.runAnonymous(`
            public class Child implements Queueable {
                public void execute(QueueableContext c) { insert new Account(Name = 'child'); }
            }
            public class Parent implements Queueable {
                Integer children;
                public Parent(Integer children) { this.children = children; }
                public void execute(QueueableContext c) {
                    insert new Account(Name = 'parent of ' + children);
                    for (Integer i = 0; i < children; i++) System.enqueueJob(new Child());
                }
            }
            System.enqueueJob(new Parent(1));
            System.enqueueJob(new Parent(2));
        `);
        assert.equal(enq.ok, true, enq.error);
        assert.deepEqual(tick(rt).errors, []);
        const res = rt.runAnonymous(`
            for (Account a : [SELECT Name FROM Account ORDER BY Name]) System.debug(a.Name);
            for (AsyncApexJob j : [SELECT Status, ExtendedStatus FROM AsyncApexJob WHERE Status = 'Failed'])
                System.debug(j.ExtendedStatus);
        `);
        assert.equal(res.ok, true, res.error);
        assert.deepEqual(res.debug, [
            'child',
            'parent of 1',
            'Too many queueable jobs added to the queue: 2'
        ]);
    });
});
