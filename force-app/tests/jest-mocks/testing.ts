/**
 * Helpers shared by the package's LWC jest tests.
 */

/** Removes every component a test appended to the document. */
export function resetDom(): void {
    while (document.body.firstChild) {
        document.body.removeChild(document.body.firstChild);
    }
}

/**
 * Lets pending promises (Apex calls, re-renders) settle: waits `turns` microtask turns. Works with
 * jest's fake timers too, as it schedules no timer.
 */
export async function flushPromises(turns = 25): Promise<void> {
    let chain = Promise.resolve();
    for (let i = 0; i < turns; i++) {
        chain = chain.then(() => undefined);
    }
    await chain;
}

/** The element's shadow root (jest runs LWC with a shadow root on every component). */
export function shadow(element: Element): ShadowRoot {
    const root = element.shadowRoot;
    if (!root) {
        throw new Error(`${element.tagName} has no shadow root`);
    }
    return root;
}

/** The first element matching the selector inside the component, or a thrown error naming it. */
export function find<T extends Element = HTMLElement>(element: Element, selector: string): T {
    const found = shadow(element).querySelector<T>(selector);
    if (!found) {
        throw new Error(`no ${selector} in ${element.tagName}`);
    }
    return found;
}

/**
 * The `role="alert"` element of the c-tp-error-alert matching `selector` inside the component: the
 * alert sits in that child's own shadow root.
 */
export function findAlert(element: Element, selector: string): HTMLElement {
    return find(find(element, selector), '[role="alert"]');
}

/** Every element matching the selector inside the component. */
export function findAll<T extends Element = HTMLElement>(element: Element, selector: string): T[] {
    return Array.from(shadow(element).querySelectorAll<T>(selector));
}

/** Sets an `@api` property or a value on a stub element (typed access to untyped stubs). */
export function setProps(element: Element, props: Record<string, unknown>): void {
    Object.assign(element, props);
}

/** Dispatches a `change` event with `detail` (lightning-input, -combobox, ...), setting `value` too. */
export function changeValue(target: Element, value: unknown, detail?: Record<string, unknown>): void {
    Object.assign(target, { value });
    if (typeof value === 'boolean') {
        Object.assign(target, { checked: value });
    }
    target.dispatchEvent(new CustomEvent('change', { detail: detail ?? { value, checked: value } }));
}

/** A jest mock function (the `jest` namespace types are not global under @jest/globals). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mocks stand in for functions of any signature
export type MockFn = import('jest-mock').Mock<(...args: any[]) => any>;
