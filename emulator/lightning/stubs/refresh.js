/** `lightning/refresh`: RefreshEvent and the refresh handler registry the app shell drives. */
const handlers = new Map();
let nextId = 1;

export class RefreshEvent extends CustomEvent {
    constructor() {
        super('lightning__refreshevent', { bubbles: true, composed: true, cancelable: true });
    }
}

export function registerRefreshHandler(element, handler) {
    const id = nextId++;
    handlers.set(id, { element, handler });
    return id;
}

export function unregisterRefreshHandler(id) {
    handlers.delete(id);
}

export function registerRefreshContainer() {
    return 0;
}

export function unregisterRefreshContainer() {}

/** Called by the app shell on a RefreshEvent: runs every registered handler. */
export function refreshAll() {
    window.dispatchEvent(new CustomEvent('preview:recordschanged'));
    return Promise.all([...handlers.values()].map(({ handler }) => Promise.resolve(handler())));
}

window.addEventListener('lightning__refreshevent', () => {
    void refreshAll();
});
