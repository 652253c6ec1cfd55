/**
 * No metadata value carries layout whitespace. The Metadata API stores element text as written, so a value
 * that a formatter wrapped onto its own indented lines (a URL, help text, a custom label) would reach the org
 * with line breaks and indentation inside it; @prettier/plugin-xml does that in `xmlWhitespaceSensitivity:
 * "ignore"` mode (https://github.com/prettier/plugin-xml/issues/138), which is why .prettierrc.json uses
 * "preserve" for XML. This test keeps it that way for every XML file of the package.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, walk } from '../lib/files.ts';
import { PACKAGE_DIR } from './metadata.ts';

/** Text nodes (between a tag's `>` and the next `<`) that hold more than whitespace, with their line. */
function paddedValues(source: string): { line: number; value: string }[] {
    const out: { line: number; value: string }[] = [];
    for (const m of source.matchAll(/>([^<]*)</g)) {
        const value = m[1];
        if (value.trim() === '' || (value === value.trim() && !value.includes('\n'))) continue;
        out.push({ line: source.slice(0, m.index).split('\n').length, value });
    }
    return out;
}

describe('XML text values', () => {
    it('detects a wrapped value', () => {
        const wrapped = '<a>\n    <b>\n        https://example.com\n    </b>\n</a>';
        assert.deepEqual(paddedValues(wrapped), [{ line: 2, value: '\n        https://example.com\n    ' }]);
        assert.deepEqual(paddedValues('<a>\n    <b>https://example.com</b>\n</a>'), []);
    });

    for (const file of walk(PACKAGE_DIR, (rel) => rel.endsWith('.xml'))) {
        it(`${file} has no value with leading, trailing or embedded line-break whitespace`, () => {
            const found = paddedValues(readFileSync(join(ROOT, file), 'utf8'));
            assert.deepEqual(
                found.map((f) => `line ${f.line}: ${JSON.stringify(f.value.slice(0, 60))}`),
                [],
                'unwrap these values onto one line'
            );
        });
    }
});
