/**
 * Crypto and EncodingUtil (Apex Reference, "Crypto Class", "EncodingUtil Class"), on Node's crypto.
 * - AES128/192/256 are CBC with PKCS5 padding; "encryptWithManagedIV ... The initialization vector is
 *   stored as the first 128 bits (16 bytes) of the encrypted Blob".
 * - generateMac: hmacMD5, hmacSHA1, hmacSHA256, hmacSHA512; generateDigest: MD5, SHA1, SHA-256, SHA-512, SHA3-*.
 * - EncodingUtil.urlEncode follows application/x-www-form-urlencoded (Java URLEncoder): space → '+'.
 */
import {
    createCipheriv,
    createDecipheriv,
    createHash,
    createHmac,
    randomBytes,
    randomInt
} from 'node:crypto';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { Blob } from '../runtime/values.js';

function blob(v: unknown, what: string): Uint8Array {
    if (v instanceof Blob) return v.bytes;
    if (v === null || v === undefined)
        throw new ApexError('NullPointerException', `Argument cannot be null: ${what}`);
    throw new ApexError('InvalidParameterValueException', `${what} must be a Blob`);
}

function str(v: unknown): string {
    if (v === null || v === undefined)
        throw new ApexError('NullPointerException', 'Argument cannot be null.');
    return String(v);
}

const AES: Record<string, number> = { aes128: 16, aes192: 24, aes256: 32 };

function aesName(alg: unknown, key: Uint8Array): string {
    const a = str(alg).toLowerCase();
    const size = AES[a];
    if (!size)
        throw new ApexError(
            'InvalidParameterValueException',
            `Invalid algorithm: ${str(alg)}. Must be AES128, AES192, or AES256`
        );
    if (key.length !== size)
        throw new ApexError('InvalidParameterValueException', `Invalid private key. Must be ${size} bytes.`);
    return `aes-${size * 8}-cbc`;
}

function iv16(iv: Uint8Array): Uint8Array {
    if (iv.length !== 16)
        throw new ApexError(
            'InvalidParameterValueException',
            'Invalid initialization vector. Must be 16 bytes.'
        );
    return iv;
}

function encrypt(alg: unknown, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
    const c = createCipheriv(aesName(alg, key), key, iv16(iv));
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function decrypt(alg: unknown, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
    const d = createDecipheriv(aesName(alg, key), key, iv16(iv));
    try {
        return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
    } catch {
        throw new ApexError(
            'SecurityException',
            'Given final block not properly padded. Such issues can arise if a bad key is used during decryption.'
        );
    }
}

const DIGESTS: Record<string, string> = {
    md5: 'md5',
    sha1: 'sha1',
    'sha-256': 'sha256',
    'sha-512': 'sha512',
    'sha3-256': 'sha3-256',
    'sha3-384': 'sha3-384',
    'sha3-512': 'sha3-512'
};
const MACS: Record<string, string> = {
    hmacmd5: 'md5',
    hmacsha1: 'sha1',
    hmacsha256: 'sha256',
    hmacsha512: 'sha512'
};

/** Java URLEncoder.encode(s, 'UTF-8'): unreserved a-z A-Z 0-9 . - * _, space as '+'. */
export function urlEncode(s: string): string {
    let out = '';
    for (const b of Buffer.from(s, 'utf8')) {
        const c = String.fromCharCode(b);
        if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
        else if (c === ' ') out += '+';
        else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
    return out;
}

/** Java URLDecoder.decode(s, 'UTF-8'). */
export function urlDecode(s: string): string {
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
        const c = s[i];
        if (c === '+') bytes.push(32);
        else if (c === '%') {
            const h = s.slice(i + 1, i + 3);
            if (!/^[0-9a-fA-F]{2}$/.test(h))
                throw new ApexError(
                    'StringException',
                    `URLDecoder: Illegal hex characters in escape (%) pattern`
                );
            bytes.push(parseInt(h, 16));
            i += 2;
        } else bytes.push(...Buffer.from(c, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
}

function checkEncoding(enc: unknown): void {
    const e = str(enc).toUpperCase().replace('-', '');
    if (e !== 'UTF8')
        throw new ApexError('UnexpectedException', `not supported locally: encoding ${str(enc)}`);
}

export function installCrypto(r: NativeRegistry): void {
    r.register({
        name: 'Crypto',
        statics: {
            generateaeskey: (_c, [size]) => {
                if (![128, 192, 256].includes(size as number))
                    throw new ApexError(
                        'InvalidParameterValueException',
                        `Invalid key size: ${String(size)}. Must be 128, 192, or 256`
                    );
                return new Blob(new Uint8Array(randomBytes((size as number) / 8)));
            },
            encrypt: (_c, [alg, key, iv, data]) =>
                new Blob(
                    encrypt(
                        alg,
                        blob(key, 'privateKey'),
                        blob(iv, 'initializationVector'),
                        blob(data, 'clearText')
                    )
                ),
            decrypt: (_c, [alg, key, iv, data]) =>
                new Blob(
                    decrypt(
                        alg,
                        blob(key, 'privateKey'),
                        blob(iv, 'initializationVector'),
                        blob(data, 'cipherText')
                    )
                ),
            encryptwithmanagediv: (_c, [alg, key, data]) => {
                const iv = new Uint8Array(randomBytes(16));
                const enc = encrypt(alg, blob(key, 'privateKey'), iv, blob(data, 'clearText'));
                return new Blob(new Uint8Array([...iv, ...enc]));
            },
            decryptwithmanagediv: (_c, [alg, key, data]) => {
                const all = blob(data, 'cipherText');
                return new Blob(decrypt(alg, blob(key, 'privateKey'), all.slice(0, 16), all.slice(16)));
            },
            generatedigest: (_c, [alg, data]) => {
                const a = DIGESTS[str(alg).toLowerCase()];
                if (!a)
                    throw new ApexError('InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
                return new Blob(new Uint8Array(createHash(a).update(blob(data, 'input')).digest()));
            },
            generatemac: (_c, [alg, data, key]) => {
                const a = MACS[str(alg).toLowerCase()];
                if (!a)
                    throw new ApexError('InvalidParameterValueException', `Invalid algorithm: ${str(alg)}`);
                return new Blob(
                    new Uint8Array(
                        createHmac(a, blob(key, 'privateKey')).update(blob(data, 'input')).digest()
                    )
                );
            },
            getrandominteger: () => randomInt(-2147483648, 2147483647),
            getrandomlong: () => randomBytes(8).readBigInt64BE(),
            sign: () => {
                throw new ApexError('UnexpectedException', 'not supported locally: Crypto.sign');
            }
        }
    });

    r.register({
        name: 'EncodingUtil',
        statics: {
            base64encode: (_c, [b]) => Buffer.from(blob(b, 'inputBlob')).toString('base64'),
            base64decode: (_c, [s]) => new Blob(new Uint8Array(Buffer.from(str(s), 'base64'))),
            converttohex: (_c, [b]) => Buffer.from(blob(b, 'inputBlob')).toString('hex'),
            convertfromhex: (_c, [s]) => {
                const h = str(s);
                if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h))
                    throw new ApexError(
                        'InvalidParameterValueException',
                        'Input string must be an even number of hexadecimal characters'
                    );
                return new Blob(new Uint8Array(Buffer.from(h, 'hex')));
            },
            urlencode: (_c, [s, enc]) => {
                checkEncoding(enc);
                return urlEncode(str(s));
            },
            urldecode: (_c, [s, enc]) => {
                checkEncoding(enc);
                return urlDecode(str(s));
            }
        }
    });
}
