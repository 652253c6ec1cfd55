import { LightningElement, api } from 'lwc';
import { registry } from 'preview/registry';

const ORDER = ['header', 'main', 'sidebar'];

/**
 * One flexipage: its regions and the components placed in them. Package LWCs are loaded on demand
 * and rendered with `lwc:is`; record page components get `recordId` and `objectApiName` as in an org.
 * Platform components the preview stands in for: force:highlightsPanel and force:detailPanel.
 */
export default class Page extends LightningElement {
    @api recordId;
    @api objectApiName;
    loaded = {};
    errors = {};
    _page;

    @api
    get page() {
        return this._page;
    }
    set page(value) {
        this._page = value;
        this.load();
    }

    load() {
        for (const list of Object.values(this._page?.regions ?? {})) {
            for (const item of list) {
                const loader = registry[item.name];
                if (!loader || this.loaded[item.name]) continue;
                loader().then(
                    (module) => {
                        this.loaded = { ...this.loaded, [item.name]: module.default };
                    },
                    (e) => {
                        this.errors = {
                            ...this.errors,
                            [item.name]: `${item.name} failed to load: ${e.message}`
                        };
                    }
                );
            }
        }
    }

    get regions() {
        const regions = this._page?.regions ?? {};
        const rank = (name) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
        const names = Object.keys(regions).sort((a, b) => rank(a) - rank(b));
        return names.map((name) => ({
            name,
            className: `region region-${name}`,
            items: regions[name].map((item, i) => {
                const props = { ...item.properties };
                if (this.recordId) {
                    props.recordId = this.recordId;
                    props.objectApiName = this.objectApiName;
                }
                return {
                    key: `${name}-${i}`,
                    ctor: this.loaded[item.name],
                    props,
                    isHighlights: item.name === 'force:highlightsPanel',
                    isDetail: item.name === 'force:detailPanel',
                    error:
                        this.errors[item.name] ??
                        (item.name.startsWith('c/') && !registry[item.name]
                            ? `${item.name} is not a component of the package`
                            : null)
                };
            })
        }));
    }

    get isEmpty() {
        return Object.values(this._page?.regions ?? {}).every((list) => list.length === 0);
    }

    get layoutClass() {
        return this._page?.regions?.sidebar ? 'record-layout' : '';
    }
}
