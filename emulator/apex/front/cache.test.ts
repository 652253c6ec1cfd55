/**
 * The lowered-tree cache: a warm load returns the same tree as a cold one, and any change of the source
 * (or of the file name) misses the cache.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { cachedLower } from './cache.js';
import { lowerClassFile } from './lower.js';

const SOURCE = `public with sharing class CacheProbe {
    public static Integer count(String name) {
        return [SELECT COUNT() FROM Account WHERE Name = :name];
    }
    public static Decimal price = 12.50;
}`;

describe('lowered-tree cache', () => {
    it('returns a tree equal to a fresh lowering, read back from disk', () => {
        const file = `force-app/CacheProbe-${randomUUID()}.cls`;
        let lowered = 0;
        const lower = (f: string, s: string) => {
            lowered++;
            return lowerClassFile(f, s);
        };
        const cold = cachedLower('class', file, SOURCE, lower);
        const warm = cachedLower('class', file, SOURCE, lower);
        assert.equal(lowered, 1, 'the second load is served by the cache');
        assert.notEqual(warm, cold, 'a deserialised copy, not the same object');
        assert.deepEqual(warm, cold);
    });

    it('misses when the source changes', () => {
        const file = `force-app/CacheProbe-${randomUUID()}.cls`;
        let lowered = 0;
        const lower = (f: string, s: string) => {
            lowered++;
            return lowerClassFile(f, s);
        };
        cachedLower('class', file, SOURCE, lower);
        const changed = cachedLower('class', file, SOURCE.replace('12.50', '13.50'), lower);
        assert.equal(lowered, 2, 'changed text is lowered again');
        assert.match(
            JSON.stringify(changed, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
            /13\.50|1350/
        );
    });
});
