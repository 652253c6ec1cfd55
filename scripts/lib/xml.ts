/** Metadata XML access: every element parsed as an array of string leaves, so lookups are uniform. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './files.ts';

export type XmlNode = { [tag: string]: XmlValue[] };
export type XmlValue = XmlNode | string;

const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    parseTagValue: false,
    trimValues: true,
    isArray: () => true
});

export interface XmlDoc {
    file: string;
    source: string;
    /** The root element's tag, e.g. `CustomField`. */
    rootTag: string;
    root: XmlNode;
}

/** Parses a metadata file; returns the validation error instead when it is not well-formed XML. */
export function readXml(file: string): XmlDoc | { file: string; error: string; line: number } {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const valid = XMLValidator.validate(source);
    if (valid !== true) {
        return { file, error: valid.err.msg, line: valid.err.line };
    }
    const parsed = parser.parse(source) as Record<string, XmlValue[]>;
    const rootTag = Object.keys(parsed).find((k) => !k.startsWith('?')) ?? '';
    const first = parsed[rootTag]?.[0];
    const root: XmlNode = typeof first === 'object' ? first : {};
    return { file, source, rootTag, root };
}

/** All values at a path of child tags: `values(root, 'fieldPermissions', 'field')`. */
export function values(node: XmlValue | undefined, ...path: string[]): XmlValue[] {
    let current: XmlValue[] = node === undefined ? [] : [node];
    for (const tag of path) {
        current = current.flatMap((n) => (typeof n === 'object' ? (n[tag] ?? []) : []));
    }
    return current;
}

/** The string leaves at a path (empty elements read as ''). */
export function texts(node: XmlValue | undefined, ...path: string[]): string[] {
    return values(node, ...path).map((v) =>
        typeof v === 'string' ? v : Object.keys(v).length === 0 ? '' : ''
    );
}

export function text(node: XmlValue | undefined, ...path: string[]): string | undefined {
    return texts(node, ...path)[0];
}

/** The 1-based line of the first occurrence of `needle` in the source (for messages), else undefined. */
export function lineOf(source: string, needle: string): number | undefined {
    const at = source.indexOf(needle);
    return at < 0 ? undefined : source.slice(0, at).split('\n').length;
}
