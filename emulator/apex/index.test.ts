/**
 * The embedding API: invoking @AuraEnabled methods with JSON-style parameters (as Lightning does).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApexRuntime, ApexRuntimeError } from './index.js';

const CONTROLLER = `public with sharing class EchoController {
    public class Item {
        @AuraEnabled
        public String name;
        @AuraEnabled
        public Integer qty;
    }

    @AuraEnabled
    public static List<Item> repeatItem(Item item, Integer times) {
        List<Item> out = new List<Item>();
        for (Integer i = 0; i < times; i++) {
            Item copy = new Item();
            copy.name = item.name + i;
            copy.qty = item.qty * i;
            out.add(copy);
        }
        return out;
    }

    @AuraEnabled
    public static String whoAmI() {
        return UserInfo.getUserName();
    }

    @AuraEnabled
    public static void refuse() {
        throw new AuraHandledException('You cannot do that');
    }
}
`;

describe('ApexRuntime loading', () => {
    it('reports unknown names in method bodies at load time, even in methods never called', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'apex-bind-'));
        try {
            mkdirSync(join(dir, 'src'));
            writeFileSync(
                join(dir, 'src', 'Broken.cls'),
                'public with sharing class Broken {\n    public static Integer never() {\n        return missingVariable + 1;\n    }\n}\n'
            );
            const rt = await ApexRuntime.create({
                projectDir: dir,
                sourceDirs: ['src'],
                withoutData: true,
                debug: () => undefined
            });
            assert.equal(rt.problems.length, 1);
            assert.match(
                rt.problems[0].message,
                /Broken\.never: Variable does not exist: missingVariable at src\/Broken\.cls:3/
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('ApexRuntime compile rules', () => {
    // "Static methods, variables, or initialization code are associated with a class, and are only allowed
    // in outer classes." https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_classes_static.htm
    async function load(source: string): Promise<string[]> {
        const dir = mkdtempSync(join(tmpdir(), 'apex-static-'));
        try {
            mkdirSync(join(dir, 'src'));
            writeFileSync(join(dir, 'src', 'Outer.cls'), source);
            const rt = await ApexRuntime.create({
                projectDir: dir,
                sourceDirs: ['src'],
                withoutData: true,
                debug: () => undefined
            });
            return rt.problems.map((p) => p.message);
        } catch (e) {
            return [(e as Error).message];
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }

    it('refuses a static variable in an inner class, as the org compiler does', async () => {
        const problems = await load(
            'public with sharing class Outer {\n    public class Inner {\n        public static Integer count = 0;\n    }\n}\n'
        );
        assert.equal(problems.length, 1);
        assert.match(problems[0], /Only top-level class variables can be declared static.*Outer\.cls:3/);
    });

    it('accepts static variables in the outer class and instance members in an inner class', async () => {
        const problems = await load(
            'public with sharing class Outer {\n    public static Integer count = 0;\n    public class Inner {\n        public Integer size = 1;\n        public Integer twice() {\n            return 2 * size;\n        }\n    }\n}\n'
        );
        assert.deepEqual(problems, []);
    });
});

describe('ApexRuntime.invokeAura', () => {
    let dir: string;
    let rt: ApexRuntime;
    before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'apex-aura-'));
        mkdirSync(join(dir, 'src'));
        writeFileSync(join(dir, 'src', 'EchoController.cls'), CONTROLLER);
        rt = await ApexRuntime.create({ projectDir: dir, sourceDirs: ['src'], debug: () => undefined });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('deserializes parameters into Apex types and serializes the result', () => {
        const out = rt.invokeAura('EchoController', 'repeatItem', { item: { name: 'x', qty: 3 }, times: 2 });
        assert.deepEqual(out, [
            { name: 'x0', qty: 0 },
            { name: 'x1', qty: 3 }
        ]);
    });

    it('runs as the given user', () => {
        assert.equal(
            rt.invokeAura('EchoController', 'whoAmI', {}, { userName: 'someone@example.com' }),
            'someone@example.com'
        );
        assert.equal(
            rt.invokeAura('EchoController', 'whoAmI', {}),
            'admin@local.test',
            'the user is restored afterwards'
        );
    });

    it('surfaces an AuraHandledException with the message the client sees', () => {
        assert.throws(
            () => rt.invokeAura('EchoController', 'refuse', {}),
            (e: unknown) =>
                e instanceof ApexRuntimeError &&
                e.apexType === 'System.AuraHandledException' &&
                e.apexMessage === 'You cannot do that'
        );
    });

    it("resolves Database.query bind variables against the caller's locals", () => {
        const res = rt.runAnonymous(
            "insert new Account(Name = 'Bound');\nString nm = 'Bound';\nSystem.debug(Database.query('SELECT Id FROM Account WHERE Name = :nm').size());"
        );
        assert.deepEqual(res.debug, ['1'], res.error);
    });

    it('refuses methods that are not @AuraEnabled', () => {
        assert.throws(
            () => rt.invokeAura('EchoController', 'missing', {}),
            /No single @AuraEnabled static method/
        );
    });
});
