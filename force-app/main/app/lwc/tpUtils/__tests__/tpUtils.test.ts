import { errorText, formatCount, formatLabel, isBase64OfLength, reduceErrors } from 'c/tpUtils';

describe('reduceErrors', () => {
    it('reads Apex, UI API record, output and JS errors, without duplicates', () => {
        expect(
            reduceErrors([
                { body: { message: 'Apex says no' } },
                { body: [{ message: 'first' }, { message: 'second' }] },
                {
                    body: {
                        pageErrors: [{ message: 'page error' }],
                        fieldErrors: { Name: [{ message: 'field error' }] },
                        output: { errors: [{ message: 'output error' }] }
                    }
                },
                new Error('js error'),
                { statusText: 'Service Unavailable' },
                'plain text',
                { body: { message: 'Apex says no' } },
                null,
                undefined
            ])
        ).toEqual([
            'Apex says no',
            'first',
            'second',
            'page error',
            'field error',
            'output error',
            'js error',
            'Service Unavailable',
            'plain text'
        ]);
    });

    it('accepts a single error and ignores empty messages', () => {
        expect(reduceErrors({ body: { message: '' } })).toEqual([]);
        expect(reduceErrors({})).toEqual([]);
    });
});

describe('errorText', () => {
    it('joins the messages or falls back', () => {
        expect(errorText([{ body: { message: 'a.' } }, new Error('b.')], 'fallback')).toBe('a. b.');
        expect(errorText({}, 'fallback')).toBe('fallback');
    });
});

describe('formatLabel', () => {
    it('fills numbered placeholders; missing values become empty', () => {
        expect(formatLabel('{0} new and {1} updated', 3, 4)).toBe('3 new and 4 updated');
        expect(formatLabel('{0}/{1}', 'x', null)).toBe('x/');
    });
});

describe('formatCount', () => {
    it('takes the singular label for exactly one and the plural one otherwise', () => {
        expect(formatCount(1, '{0} review in total', '{0} reviews in total')).toBe('1 review in total');
        expect(formatCount(0, '{0} review in total', '{0} reviews in total')).toBe('0 reviews in total');
        expect(formatCount(2, '{0} review in total', '{0} reviews in total')).toBe('2 reviews in total');
    });
});

describe('isBase64OfLength', () => {
    const key = (bytes: number): string => btoa(String.fromCharCode(...new Array<number>(bytes).fill(7)));

    it('accepts base64 of exactly the length, padded or not', () => {
        expect(isBase64OfLength(key(32), 32)).toBe(true);
        expect(isBase64OfLength(` ${key(32)} `, 32)).toBe(true);
        expect(isBase64OfLength(key(33), 33)).toBe(true);
        expect(isBase64OfLength(key(31), 31)).toBe(true);
    });

    it('refuses other lengths, bad characters and non-strings', () => {
        expect(isBase64OfLength(key(16), 32)).toBe(false);
        expect(isBase64OfLength('abc', 32)).toBe(false);
        expect(isBase64OfLength('!!!!', 3)).toBe(false);
        expect(isBase64OfLength('', 0)).toBe(false);
        expect(isBase64OfLength(null, 32)).toBe(false);
        expect(isBase64OfLength(undefined, 32)).toBe(false);
    });
});
