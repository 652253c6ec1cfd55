/**
 * `lightning/navigation` for the preview: page references map to hash URLs of the app shell
 * (`#/n/<tab>`, `#/o/<object>/list`, `#/r/<object>/<id>/view`, `#/demo`).
 */
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function encode(value) {
    return encodeURIComponent(value ?? '');
}

/** A page reference as the hash the app shell routes on. */
export function pageRefToHash(pageRef) {
    const a = pageRef?.attributes ?? {};
    const state =
        pageRef?.state && Object.keys(pageRef.state).length ? `?${new URLSearchParams(pageRef.state)}` : '';
    switch (pageRef?.type) {
        case 'standard__navItemPage':
            return `#/n/${encode(a.apiName)}${state}`;
        case 'standard__objectPage':
            return `#/o/${encode(a.objectApiName)}/${encode(a.actionName ?? 'list')}${state}`;
        case 'standard__recordPage':
            return `#/r/${encode(a.objectApiName ?? '_')}/${encode(a.recordId)}/${encode(a.actionName ?? 'view')}${state}`;
        case 'preview__demo':
            return '#/demo';
        default:
            return null;
    }
}

/** The page reference for the current hash (the inverse of pageRefToHash). */
export function hashToPageRef(hash) {
    const [path, query = ''] = (hash ?? '').replace(/^#/, '').split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const state = Object.fromEntries(new URLSearchParams(query));
    if (parts[0] === 'n' && parts[1])
        return { type: 'standard__navItemPage', attributes: { apiName: parts[1] }, state };
    if (parts[0] === 'o' && parts[1]) {
        return {
            type: 'standard__objectPage',
            attributes: { objectApiName: parts[1], actionName: parts[2] ?? 'list' },
            state
        };
    }
    if (parts[0] === 'r' && parts[2]) {
        const objectApiName = parts[1] === '_' ? undefined : parts[1];
        return {
            type: 'standard__recordPage',
            attributes: { objectApiName, recordId: parts[2], actionName: parts[3] ?? 'view' },
            state
        };
    }
    if (parts[0] === 'demo') return { type: 'preview__demo', attributes: {}, state };
    return null;
}

export function navigate(pageRef, replace = false) {
    if (pageRef?.type === 'standard__webPage') {
        window.open(pageRef.attributes?.url, '_blank', 'noopener');
        return;
    }
    const hash = pageRefToHash(pageRef);
    if (hash === null) {
        console.error('Navigation to this page reference is not supported in the preview', pageRef);
        return;
    }
    if (replace) window.location.replace(hash);
    else window.location.hash = hash;
}

export function NavigationMixin(Base) {
    return class extends Base {
        [Navigate](pageRef, replace) {
            navigate(pageRef, replace);
        }
        [GenerateUrl](pageRef) {
            if (pageRef?.type === 'standard__webPage') return Promise.resolve(pageRef.attributes?.url);
            return Promise.resolve(pageRefToHash(pageRef) ?? '#');
        }
    };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

const listeners = new Set();
window.addEventListener('hashchange', () => {
    const ref = hashToPageRef(window.location.hash);
    for (const listener of listeners) listener(ref);
});

/** `@wire(CurrentPageReference)`: the page reference of the current hash, updated on navigation. */
export class CurrentPageReference {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.listener = (ref) => this.dataCallback(ref);
    }
    connect() {
        listeners.add(this.listener);
        this.dataCallback(hashToPageRef(window.location.hash));
    }
    disconnect() {
        listeners.delete(this.listener);
    }
    update() {}
}
