import { LightningElement } from 'lwc';
import pages from 'preview/pages';
import { session } from 'preview/client';
import { hashToPageRef, navigate } from 'lightning/navigation';

const DEMO = { key: 'demo', label: 'Demo records', href: '#/demo' };
const TOAST_MS = 6000;

/** The app shell: Lightning-style header and navigation bar, hash routing, toasts. */
export default class App extends LightningElement {
    appLabel = pages.appLabel;
    route = null;
    toasts = [];
    toastSeq = 0;
    /** Bumped when the org's clock moves: the keyed view below is re-created, so the page reads again. */
    generation = 0;

    connectedCallback() {
        this.onHashChange = () => this.readRoute();
        this.onClock = () => {
            this.generation += 1;
        };
        window.addEventListener('preview:clockadvanced', this.onClock);
        this.onToast = (event) => this.showToast(event.detail ?? {});
        window.addEventListener('hashchange', this.onHashChange);
        window.addEventListener('lightning__showtoast', this.onToast);
        this.readRoute();
    }

    disconnectedCallback() {
        window.removeEventListener('hashchange', this.onHashChange);
        window.removeEventListener('lightning__showtoast', this.onToast);
        window.removeEventListener('preview:clockadvanced', this.onClock);
    }

    get views() {
        return [{ key: `view-${this.generation}` }];
    }

    readRoute() {
        const ref = hashToPageRef(window.location.hash);
        if (!ref) {
            const first = pages.tabs[0];
            if (first) {
                navigate(
                    first.kind === 'object'
                        ? {
                              type: 'standard__objectPage',
                              attributes: { objectApiName: first.object, actionName: 'list' }
                          }
                        : { type: 'standard__navItemPage', attributes: { apiName: first.name } },
                    true
                );
            }
            return;
        }
        this.route = ref;
        const label = this.activeTab?.label ?? (ref.type === 'preview__demo' ? DEMO.label : '');
        document.title = label ? `${label} | ${pages.appLabel}` : pages.appLabel;
    }

    get badgeStyle() {
        return `background:${pages.headerColor}`;
    }

    get banner() {
        return session.runtimeError ?? null;
    }

    get activeTab() {
        const a = this.route?.attributes ?? {};
        const isObjectRoute = this.route?.type !== 'standard__navItemPage';
        return pages.tabs.find((t) => {
            if (t.kind === 'object') return isObjectRoute && t.object === a.objectApiName;
            return t.name === a.apiName;
        });
    }

    get navItems() {
        const active = this.activeTab;
        const items = pages.tabs.map((t) => ({
            key: t.name,
            label: t.label,
            href: t.kind === 'object' ? `#/o/${t.object}/list` : `#/n/${t.name}`,
            active: active === t
        }));
        items.push({ ...DEMO, active: this.route?.type === 'preview__demo' });
        return items.map((i) => ({
            ...i,
            className: `slds-context-bar__item${i.active ? ' slds-is-active' : ''}`,
            current: i.active ? 'page' : null
        }));
    }

    get isPage() {
        return this.route?.type === 'standard__navItemPage' && Boolean(this.currentPage);
    }
    get currentPage() {
        return this.activeTab?.page ?? null;
    }
    get isList() {
        return this.route?.type === 'standard__objectPage';
    }
    get isRecord() {
        return this.route?.type === 'standard__recordPage';
    }
    get isDemo() {
        return this.route?.type === 'preview__demo';
    }
    get notFound() {
        return Boolean(this.route) && !this.isPage && !this.isList && !this.isRecord && !this.isDemo;
    }
    get objectApiName() {
        return this.route?.attributes?.objectApiName;
    }
    get recordId() {
        return this.route?.attributes?.recordId;
    }
    get filterName() {
        return this.route?.state?.filterName ?? 'All';
    }
    get listViews() {
        return pages.tabs.find((t) => t.object === this.objectApiName)?.listViews ?? [];
    }

    showToast({ title, message, messageData, variant = 'info', mode = 'dismissible' }) {
        let text = message ?? '';
        if (Array.isArray(messageData)) {
            text = text.replace(/\{(\d+)\}/g, (m, i) => {
                const d = messageData[Number(i)];
                return d === undefined ? m : typeof d === 'object' ? (d.label ?? '') : String(d);
            });
        }
        const key = `t${++this.toastSeq}`;
        const theme = { success: 'success', error: 'error', warning: 'warning' }[variant] ?? 'info';
        this.toasts = [
            ...this.toasts,
            { key, title, message: text, className: `slds-notify slds-notify_toast slds-theme_${theme}` }
        ];
        if (mode !== 'sticky') {
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            setTimeout(() => this.removeToast(key), TOAST_MS);
        }
    }

    closeToast(event) {
        this.removeToast(event.currentTarget.dataset.key);
    }

    removeToast(key) {
        this.toasts = this.toasts.filter((t) => t.key !== key);
    }
}
