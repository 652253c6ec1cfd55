/**
 * Reads what the preview needs from the package's metadata: custom labels, the Lightning app with its
 * tabs, the flexipages (which components sit on which page) and list views. Nothing here is
 * hand-maintained: adding a component to a flexipage puts it on the preview's page.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { ROOT, walk } from '../../scripts/lib/files.ts';

const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) =>
        [
            'labels',
            'tabs',
            'flexiPageRegions',
            'itemInstances',
            'componentInstanceProperties',
            'columns',
            'filters'
        ].includes(name)
});

type Doc = Record<string, unknown>;

function read(file: string): Doc {
    return xml.parse(readFileSync(`${ROOT}/${file}`, 'utf8')) as Doc;
}

const metaFiles = (suffix: string) => walk('force-app', (rel) => rel.endsWith(suffix));
const text = (v: unknown): string =>
    typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

/** Every custom label of the package: name → value. */
export function readLabels(): Map<string, string> {
    const labels = new Map<string, string>();
    for (const file of metaFiles('.labels-meta.xml')) {
        const list = ((read(file).CustomLabels as Doc | undefined)?.labels as Doc[] | undefined) ?? [];
        for (const l of list) labels.set(text(l.fullName), text(l.value));
    }
    return labels;
}

export interface ComponentInstance {
    /** `c/trustpilotHome` for a package LWC, or a platform component such as `force:detailPanel`. */
    name: string;
    properties: Record<string, string>;
}

export interface PageDef {
    flexipage: string;
    label: string;
    regions: Record<string, ComponentInstance[]>;
}

export interface ListViewDef {
    name: string;
    label: string;
    columns: string[];
    filters: { field: string; operation: string; value: string }[];
    booleanFilter: string | null;
}

export interface TabDef {
    name: string;
    label: string;
    kind: 'page' | 'object';
    /** Object tabs: the object, its labels and list views. */
    object?: string;
    listViews?: ListViewDef[];
    page?: PageDef;
}

export interface PreviewPages {
    appLabel: string;
    headerColor: string;
    tabs: TabDef[];
    /** Record pages by object API name. */
    recordPages: Record<string, PageDef>;
    warnings: string[];
}

function readFlexipage(
    file: string,
    components: Set<string>,
    warnings: string[]
): PageDef & { sobjectType: string; type: string } {
    const doc = (read(file).FlexiPage ?? {}) as Doc;
    const regions: Record<string, ComponentInstance[]> = {};
    for (const region of (doc.flexiPageRegions as Doc[] | undefined) ?? []) {
        const list: ComponentInstance[] = [];
        for (const item of (region.itemInstances as Doc[] | undefined) ?? []) {
            const instance = item.componentInstance as Doc | undefined;
            if (!instance) continue;
            const raw = text(instance.componentName);
            const properties: Record<string, string> = {};
            for (const p of (instance.componentInstanceProperties as Doc[] | undefined) ?? [])
                properties[text(p.name)] = text(p.value);
            // Package LWCs appear as `name` or `c:name`; platform components keep their namespace.
            const local = raw.replace(/^c:/, '');
            if (!raw.includes(':') || raw.startsWith('c:')) {
                if (!components.has(`c/${local}`))
                    warnings.push(
                        `${basename(file)} places ${raw}, which is not an LWC bundle of the package`
                    );
                list.push({ name: `c/${local}`, properties });
            } else {
                list.push({ name: raw, properties });
            }
        }
        regions[text(region.name)] = list;
    }
    return {
        flexipage: basename(file).replace('.flexipage-meta.xml', ''),
        label: text(doc.masterLabel),
        regions,
        sobjectType: text(doc.sobjectType),
        type: text(doc.type)
    };
}

function readListViews(object: string): ListViewDef[] {
    return metaFiles('.listView-meta.xml')
        .filter((f) => f.includes(`/objects/${object}/listViews/`))
        .map((f) => {
            const v = (read(f).ListView ?? {}) as Doc;
            return {
                name: text(v.fullName) || basename(f).replace('.listView-meta.xml', ''),
                label: text(v.label),
                columns: ((v.columns as unknown[] | undefined) ?? []).map(text),
                filters: ((v.filters as Doc[] | undefined) ?? []).map((x) => ({
                    field: text(x.field),
                    operation: text(x.operation),
                    value: text(x.value)
                })),
                booleanFilter: v.booleanFilter === undefined ? null : text(v.booleanFilter)
            };
        })
        .sort((a, b) => (a.name === 'All' ? -1 : b.name === 'All' ? 1 : a.label.localeCompare(b.label)));
}

function objectLabel(object: string): string {
    const file = metaFiles(`/${object}.object-meta.xml`)[0];
    if (!file) return object;
    const doc = (read(file).CustomObject ?? {}) as Doc;
    return text(doc.pluralLabel) || text(doc.label) || object;
}

/** The package's Lightning app (the first one found), its tabs and the pages behind them. */
export function readPages(components: Set<string>): PreviewPages {
    const warnings: string[] = [];
    const flexipages = new Map(
        metaFiles('.flexipage-meta.xml').map((f) => [
            basename(f).replace('.flexipage-meta.xml', ''),
            readFlexipage(f, components, warnings)
        ])
    );
    const appFile = metaFiles('.app-meta.xml')[0];
    const app = appFile ? ((read(appFile).CustomApplication ?? {}) as Doc) : {};
    const tabFiles = new Map(
        metaFiles('.tab-meta.xml').map((f) => [basename(f).replace('.tab-meta.xml', ''), f])
    );
    const tabs: TabDef[] = [];
    for (const name of ((app.tabs as unknown[] | undefined) ?? []).map(text)) {
        const file = tabFiles.get(name);
        if (!file) {
            warnings.push(`app tab ${name} has no tab metadata`);
            continue;
        }
        const tab = (read(file).CustomTab ?? {}) as Doc;
        if (text(tab.customObject) === 'true') {
            tabs.push({
                name,
                label: objectLabel(name),
                kind: 'object',
                object: name,
                listViews: readListViews(name)
            });
        } else {
            const page = flexipages.get(text(tab.flexiPage));
            if (!page)
                warnings.push(`tab ${name} names flexipage ${text(tab.flexiPage)}, which does not exist`);
            tabs.push({ name, label: text(tab.label) || name, kind: 'page', page });
        }
    }
    const recordPages: Record<string, PageDef> = {};
    for (const page of flexipages.values()) {
        if (page.type === 'RecordPage' && page.sobjectType) recordPages[page.sobjectType] = page;
    }
    const brand = app.brand as Doc | undefined;
    return {
        appLabel: text(app.label) || 'App',
        headerColor: text(brand?.headerColor) || '#0176d3',
        tabs,
        recordPages,
        warnings
    };
}
