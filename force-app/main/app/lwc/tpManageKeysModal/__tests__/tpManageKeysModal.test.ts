import { createElement } from 'lwc';
import TpManageKeysModal, { KEY_BYTES } from 'c/tpManageKeysModal';
import saveBglKeys from '@salesforce/apex/SettingsController.saveBglKeys';
import {
    changeValue,
    find,
    findAlert,
    findAll,
    flushPromises,
    resetDom,
    type MockFn
} from '../../../../../tests/jest-mocks/testing';

jest.mock('@salesforce/apex/SettingsController.saveBglKeys', () => ({ default: jest.fn() }), {
    virtual: true
});

const saveMock = saveBglKeys as unknown as MockFn;

/** base64 of `bytes` bytes, all equal to `fill`: well-formed test keys that are no one's secret. */
function fakeKey(fill: number, bytes = 32): string {
    return btoa(String.fromCharCode(...new Array<number>(bytes).fill(fill)));
}
const ENCRYPTION_KEY = fakeKey(0x11);
const AUTHENTICATION_KEY = fakeKey(0xfe);

type KeyInput = HTMLElement & {
    value: string;
    type: string;
    setCustomValidity: MockFn;
    reportValidity: MockFn;
};

function render(hasKeys = false): { element: HTMLElement; closed: MockFn } {
    const element = createElement('c-tp-manage-keys-modal', { is: TpManageKeysModal });
    Object.assign(element, { hasKeys });
    const closed = jest.fn();
    element.addEventListener('close', (event) => closed((event as CustomEvent).detail));
    document.body.appendChild(element);
    return { element, closed };
}

/** The two key inputs, with validity methods that behave like the real base component's. */
function inputs(element: HTMLElement): KeyInput[] {
    return findAll<KeyInput>(element, 'lightning-input').map((input) => {
        let message = '';
        Object.assign(input, {
            setCustomValidity: jest.fn((m: string) => {
                message = m;
            }),
            reportValidity: jest.fn(() => message === '')
        });
        return input;
    });
}

async function enter(element: HTMLElement, encryption: string, authentication: string): Promise<KeyInput[]> {
    const [enc, auth] = inputs(element);
    changeValue(enc, encryption);
    changeValue(auth, authentication);
    await flushPromises();
    return [enc, auth];
}

describe('c-tp-manage-keys-modal', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('starts with empty password fields and never shows stored keys', async () => {
        const { element } = render(true);
        await flushPromises();
        const [enc, auth] = inputs(element);
        expect(enc.value).toBe('');
        expect(auth.value).toBe('');
        expect(enc.type).toBe('password');
        expect(auth.type).toBe('password');
        expect(find(element, '.stored').textContent).toBe('c.TP_Keys_Stored');
        await expect(element).toBeAccessible();
    });

    it('does not mention stored keys when there are none', async () => {
        const { element } = render(false);
        await flushPromises();
        expect(findAll(element, '.stored')).toHaveLength(0);
    });

    it('saves two valid keys and closes with "saved"', async () => {
        const { element, closed } = render();
        saveMock.mockResolvedValue(undefined);
        await enter(element, ` ${ENCRYPTION_KEY} `, AUTHENTICATION_KEY);
        find(element, '.save').click();
        await flushPromises();

        expect(saveMock).toHaveBeenCalledWith({
            encryptionKey: ENCRYPTION_KEY,
            authenticationKey: AUTHENTICATION_KEY
        });
        expect(closed).toHaveBeenCalledWith('saved');
        // Nothing typed is kept once saved.
        const [enc, auth] = inputs(element);
        expect(enc.value).toBe('');
        expect(auth.value).toBe('');
    });

    it.each([
        ['not base64', 'not a key!'],
        ['16 bytes', fakeKey(0x22, 16)],
        ['33 bytes', fakeKey(0x22, 33)],
        ['empty', '']
    ])('refuses a key that is %s', async (_case, badKey) => {
        const { element } = render();
        const [enc, auth] = await enter(element, badKey, AUTHENTICATION_KEY);
        find(element, '.save').click();
        await flushPromises();
        expect(enc.setCustomValidity).toHaveBeenLastCalledWith('c.TP_Keys_Invalid');
        expect(auth.setCustomValidity).toHaveBeenLastCalledWith('');
        expect(saveMock).not.toHaveBeenCalled();
        expect(KEY_BYTES).toBe(32);
    });

    it('refuses the same key twice', async () => {
        const { element } = render();
        await enter(element, ENCRYPTION_KEY, ENCRYPTION_KEY);
        find(element, '.save').click();
        await flushPromises();
        expect(findAlert(element, '.error').textContent).toBe('c.TP_Keys_Same');
        expect(saveMock).not.toHaveBeenCalled();
    });

    it('keeps the modal open and shows the server refusal', async () => {
        const { element, closed } = render();
        saveMock.mockRejectedValue({
            body: { message: 'You need the Trustpilot App Super User permission set.' }
        });
        await enter(element, ENCRYPTION_KEY, AUTHENTICATION_KEY);
        find(element, '.save').click();
        await flushPromises();
        expect(findAlert(element, '.error').textContent).toBe(
            'You need the Trustpilot App Super User permission set.'
        );
        expect(closed).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('cancels without saving and forgets the input', async () => {
        const { element, closed } = render();
        await enter(element, ENCRYPTION_KEY, AUTHENTICATION_KEY);
        find(element, '.cancel').click();
        await flushPromises();
        expect(saveMock).not.toHaveBeenCalled();
        expect(closed).toHaveBeenCalledWith('cancel');
        expect(inputs(element)[0].value).toBe('');
    });
});
