import { createElement } from 'lwc';
import TrustpilotSettings, { IMPORT_POLL_MS } from 'c/trustpilotSettings';
import TpManageKeysModal from 'c/tpManageKeysModal';
import getSettings from '@salesforce/apex/SettingsController.getSettings';
import saveCredentials from '@salesforce/apex/ConnectionSettingsController.saveCredentials';
import connect from '@salesforce/apex/ConnectionSettingsController.connect';
import testConnection from '@salesforce/apex/ConnectionSettingsController.testConnection';
import disconnect from '@salesforce/apex/ConnectionSettingsController.disconnect';
import addBusinessUnit from '@salesforce/apex/ConnectionSettingsController.addBusinessUnit';
import setDefaultBusinessUnit from '@salesforce/apex/ConnectionSettingsController.setDefaultBusinessUnit';
import startImport from '@salesforce/apex/SettingsController.startImport';
import getImportStatus from '@salesforce/apex/SettingsController.getImportStatus';
import saveGeneralSettings from '@salesforce/apex/SettingsController.saveGeneralSettings';
import { refreshApex } from '@salesforce/apex';
import LightningConfirm from 'lightning/confirm';
import type { TestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import {
    changeValue,
    find,
    findAlert,
    findAll,
    flushPromises,
    resetDom,
    type MockFn
} from '../../../../../tests/jest-mocks/testing';
import SETTINGS from './data/settings.json';
import NOT_CONNECTED from './data/settingsNotConnected.json';
import NO_ACCESS from './data/settingsNoAccess.json';
import IMPORT_STARTED from './data/importStarted.json';
import IMPORT_RUNNING from './data/importRunning.json';
import IMPORT_FINISHED from './data/importFinished.json';

jest.mock('@salesforce/customPermission/Trustpilot_Manage_Settings', () => ({ default: true }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SettingsController.getSettings',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SettingsController.getInvitationTemplates',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/ConnectionSettingsController.saveCredentials', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ConnectionSettingsController.connect', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ConnectionSettingsController.testConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ConnectionSettingsController.disconnect', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ConnectionSettingsController.addBusinessUnit', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/ConnectionSettingsController.setDefaultBusinessUnit',
    () => ({ default: jest.fn() }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/apex/SettingsController.startImport', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SettingsController.getImportStatus', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SettingsController.saveGeneralSettings', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SettingsController.saveRule', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SettingsController.saveBglKeys', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

const settingsWire = getSettings as unknown as TestWireAdapter;
const mocks = {
    saveCredentials: saveCredentials as unknown as MockFn,
    connect: connect as unknown as MockFn,
    testConnection: testConnection as unknown as MockFn,
    disconnect: disconnect as unknown as MockFn,
    addBusinessUnit: addBusinessUnit as unknown as MockFn,
    setDefaultBusinessUnit: setDefaultBusinessUnit as unknown as MockFn,
    startImport: startImport as unknown as MockFn,
    getImportStatus: getImportStatus as unknown as MockFn,
    saveGeneralSettings: saveGeneralSettings as unknown as MockFn
};
const confirmOpen = (LightningConfirm as unknown as { open: MockFn }).open;
const refreshApexMock = refreshApex as unknown as MockFn;

async function render(data: unknown): Promise<HTMLElement> {
    const element = createElement('c-trustpilot-settings', { is: TrustpilotSettings });
    document.body.appendChild(element);
    settingsWire.emit(data);
    await flushPromises();
    return element;
}

/** Makes the inputs report themselves valid (or not): the base component stubs answer undefined. */
function validity(element: HTMLElement, valid: boolean): void {
    findAll(element, 'lightning-input, lightning-combobox').forEach((input) => {
        Object.assign(input, { reportValidity: jest.fn(() => valid) });
    });
}

function toasts(element: HTMLElement): MockFn {
    const handler = jest.fn();
    element.addEventListener('lightning__showtoast', (event) => handler((event as CustomEvent).detail));
    return handler;
}

function text(element: HTMLElement, selector: string): string {
    return find(element, selector).textContent!.trim();
}

describe('c-trustpilot-settings', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('shows a spinner while loading', async () => {
        const element = createElement('c-trustpilot-settings', { is: TrustpilotSettings });
        document.body.appendChild(element);
        expect(findAll(element, 'lightning-spinner')).toHaveLength(1);
        await expect(element).toBeAccessible();
    });

    it('shows the load error', async () => {
        const element = createElement('c-trustpilot-settings', { is: TrustpilotSettings });
        document.body.appendChild(element);
        settingsWire.error({ message: 'Settings are unavailable' });
        await flushPromises();
        expect(findAlert(element, '.load-error').textContent).toBe('Settings are unavailable');
        await expect(element).toBeAccessible();
    });

    it('tells users without the Super User permission set that Settings is not for them', async () => {
        const element = await render(NO_ACCESS);
        expect(text(element, '.no-access')).toBe('c.TP_Settings_No_Access');
        expect(findAll(element, 'lightning-tabset')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('shows the connection, never a stored key, and every section', async () => {
        const element = await render(SETTINGS);
        expect(text(element, '.connection .slds-badge')).toBe('c.TP_Settings_Connected');
        expect(text(element, '.unit-name')).toBe('Acme UK');
        expect((find(element, '.api-key') as unknown as { value: string }).value).toBe('');
        expect((find(element, '.api-secret') as unknown as { value: string }).value).toBe('');
        expect((find(element, '.domain') as unknown as { value: string }).value).toBe('acme.co.uk');
        expect(findAll(element, 'lightning-tab')).toHaveLength(7);
        expect(findAll(element, 'c-tp-invitation-rule')).toHaveLength(3);
        const opportunityRule = find(element, '.rule-opportunity') as unknown as { rule: { id: string } };
        expect(opportunityRule.rule.id).toBe('a0E000000000001AAA');
        // No order rule yet: that section starts from a fresh, disabled rule.
        const orderRule = (
            find(element, '.rule-order') as unknown as { rule: { id: unknown; enabled: boolean } }
        ).rule;
        expect(orderRule).toEqual(expect.objectContaining({ id: null, enabled: false, objectName: 'Order' }));
        expect(text(element, '.keys-status')).toBe('c.TP_Keys_Missing');
        expect(text(element, '.import-summary')).toBe('c.TP_Import_Done');
        expect(findAll(element, '.import-job')).toHaveLength(2);
        const units = find(element, '.default-unit') as unknown as {
            value: string;
            options: { label: string }[];
        };
        expect(units.value).toBe('a0B000000000001AAA');
        expect(units.options.map((o) => o.label)).toEqual(['Acme UK (acme.co.uk)', 'Acme DE']);
        const recovery = find(element, '.recovery') as unknown as {
            value: string;
            options: { label: string }[];
        };
        expect(recovery.value).toBe('2');
        expect(recovery.options.map((o) => o.label)).toEqual([
            'c.TP_General_Recovery_Off',
            'c.TP_General_Recovery_Stars_One',
            'c.TP_General_Recovery_Stars',
            'c.TP_General_Recovery_Stars',
            'c.TP_General_Recovery_Stars'
        ]);
        const interval = find(element, '.sync-interval') as unknown as { options: { label: string }[] };
        expect(interval.options.map((o) => o.label)).toEqual([
            'c.TP_General_Minutes',
            'c.TP_General_Minutes',
            'c.TP_General_Hours_One',
            'c.TP_General_Hours',
            'c.TP_General_Hours',
            'c.TP_General_Hours',
            'c.TP_General_Hours'
        ]);
        await expect(element).toBeAccessible();
    });

    it('shows the last connection error and disables what needs a connection', async () => {
        const element = await render(NOT_CONNECTED);
        expect(text(element, '.last-error')).toBe('Reconnect needed: Trustpilot answered 401 Unauthorized');
        expect((find(element, '.test') as unknown as { disabled: boolean }).disabled).toBe(true);
        expect((find(element, '.disconnect') as unknown as { disabled: boolean }).disabled).toBe(true);
        expect((find(element, '.import-button') as unknown as { disabled: boolean }).disabled).toBe(true);
        expect(text(element, '.import-needs-connection')).toBe('c.TP_Import_Needs_Connection');
        expect(text(element, '.keys-status')).toBe('c.TP_Keys_Stored');
        expect(findAll(element, '.units')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('connects with the key and secret, then forgets them', async () => {
        const element = await render(NOT_CONNECTED);
        const onToast = toasts(element);
        mocks.saveCredentials.mockResolvedValue(undefined);
        mocks.connect.mockResolvedValue({ ...SETTINGS.connection });
        changeValue(find(element, '.api-key'), ' key-123 ');
        changeValue(find(element, '.api-secret'), 'secret-456');
        changeValue(find(element, '.domain'), ' acme.co.uk ');
        changeValue(find(element, '.business-user'), 'bu-user-1');
        await flushPromises();
        validity(element, true);
        find(element, '.connect').click();
        await flushPromises();

        expect(mocks.saveCredentials).toHaveBeenCalledWith({ apiKey: 'key-123', apiSecret: 'secret-456' });
        expect(mocks.connect).toHaveBeenCalledWith({ domain: 'acme.co.uk', businessUserId: 'bu-user-1' });
        expect(mocks.saveCredentials.mock.invocationCallOrder[0]).toBeLessThan(
            mocks.connect.mock.invocationCallOrder[0]
        );
        expect(onToast).toHaveBeenCalledWith({
            message: 'c.TP_Settings_Connected_Toast',
            variant: 'success'
        });
        expect(refreshApexMock).toHaveBeenCalled();
        expect((find(element, '.api-key') as unknown as { value: string }).value).toBe('');
        expect((find(element, '.api-secret') as unknown as { value: string }).value).toBe('');
    });

    it('reconnects without new credentials (the stored ones stay in the External Credential)', async () => {
        const element = await render(SETTINGS);
        mocks.connect.mockResolvedValue({ ...SETTINGS.connection, businessUnitName: null });
        validity(element, true);
        find(element, '.connect').click();
        await flushPromises();
        expect(mocks.saveCredentials).not.toHaveBeenCalled();
        expect(mocks.connect).toHaveBeenCalledWith({
            domain: 'acme.co.uk',
            businessUserId: '5f1e0c2b9a7d4e0001a2b3c4'
        });
    });

    it('asks for both the key and the secret', async () => {
        const element = await render(NOT_CONNECTED);
        changeValue(find(element, '.api-key'), 'key-only');
        await flushPromises();
        validity(element, true);
        find(element, '.connect').click();
        await flushPromises();
        expect(findAlert(element, '.connection-error').textContent).toBe('c.TP_Settings_Both_Credentials');
        expect(mocks.connect).not.toHaveBeenCalled();
    });

    it('does not connect with missing fields', async () => {
        const element = await render(NOT_CONNECTED);
        validity(element, false);
        find(element, '.connect').click();
        await flushPromises();
        expect(findAlert(element, '.connection-error').textContent).toBe('c.TP_Common_Required');
        expect(mocks.connect).not.toHaveBeenCalled();
    });

    it('shows why the connection failed', async () => {
        const element = await render(NOT_CONNECTED);
        mocks.connect.mockRejectedValue({ body: { message: 'No business unit found for acme.test' } });
        validity(element, true);
        find(element, '.connect').click();
        await flushPromises();
        expect(findAlert(element, '.connection-error').textContent).toBe(
            'No business unit found for acme.test'
        );
        await expect(element).toBeAccessible();
    });

    it('tests the connection and shows the result', async () => {
        const element = await render(SETTINGS);
        mocks.testConnection.mockResolvedValueOnce({ ...SETTINGS.connection });
        find(element, '.test').click();
        await flushPromises();
        expect(find(element, '.test-result').className).toContain('slds-text-color_success');
        expect(text(element, '.test-result')).toBe('c.TP_Settings_Test_Ok');

        mocks.testConnection.mockResolvedValueOnce({
            ...SETTINGS.connection,
            connected: false,
            lastError: null
        });
        find(element, '.test').click();
        await flushPromises();
        expect(text(element, '.test-result')).toBe('c.TP_Settings_Test_Failed');

        mocks.testConnection.mockRejectedValueOnce({ body: { message: 'Trustpilot answered 401' } });
        find(element, '.test').click();
        await flushPromises();
        expect(find(element, '.test-result').className).toContain('slds-text-color_error');
        expect(text(element, '.test-result')).toBe('Trustpilot answered 401');
    });

    it('disconnects only after confirmation', async () => {
        const element = await render(SETTINGS);
        const onToast = toasts(element);
        confirmOpen.mockResolvedValueOnce(false);
        find(element, '.disconnect').click();
        await flushPromises();
        expect(mocks.disconnect).not.toHaveBeenCalled();

        confirmOpen.mockResolvedValueOnce(true);
        mocks.disconnect.mockResolvedValue(undefined);
        find(element, '.disconnect').click();
        await flushPromises();
        expect(confirmOpen).toHaveBeenLastCalledWith(
            expect.objectContaining({ message: 'c.TP_Settings_Disconnect_Confirm' })
        );
        expect(mocks.disconnect).toHaveBeenCalledTimes(1);
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Settings_Disconnected', variant: 'success' });
        expect(findAll(element, '.import-job')).toHaveLength(0);
    });

    it('shows a refused disconnect', async () => {
        const element = await render(SETTINGS);
        confirmOpen.mockResolvedValueOnce(true);
        mocks.disconnect.mockRejectedValue({
            body: { message: 'You need the Trustpilot App Super User permission set.' }
        });
        find(element, '.disconnect').click();
        await flushPromises();
        expect(findAlert(element, '.connection-error').textContent).toBe(
            'You need the Trustpilot App Super User permission set.'
        );
    });

    it('adds a business unit and changes the default one', async () => {
        const element = await render(SETTINGS);
        mocks.addBusinessUnit.mockResolvedValue(undefined);
        mocks.setDefaultBusinessUnit.mockResolvedValue(undefined);
        changeValue(find(element, '.new-unit-domain'), ' acme.de ');
        await flushPromises();
        validity(element, true);
        find(element, '.add-unit-button').click();
        await flushPromises();
        expect(mocks.addBusinessUnit).toHaveBeenCalledWith({ domain: 'acme.de' });

        changeValue(find(element, '.default-unit'), 'a0B000000000002AAA');
        await flushPromises();
        expect(mocks.setDefaultBusinessUnit).toHaveBeenCalledWith({ businessUnitId: 'a0B000000000002AAA' });
    });

    it('needs a domain to add a business unit, and shows a refused one', async () => {
        const element = await render(SETTINGS);
        validity(element, false);
        find(element, '.add-unit-button').click();
        await flushPromises();
        expect(mocks.addBusinessUnit).not.toHaveBeenCalled();

        mocks.setDefaultBusinessUnit.mockRejectedValue({ body: { message: 'Unknown business unit.' } });
        changeValue(find(element, '.default-unit'), 'a0B000000000009AAA');
        await flushPromises();
        expect(findAlert(element, '.connection-error').textContent).toBe('Unknown business unit.');
    });

    it('imports reviews with live progress until every job finished', async () => {
        const element = await render(SETTINGS);
        jest.useFakeTimers();
        mocks.startImport.mockResolvedValue(IMPORT_STARTED);
        mocks.getImportStatus.mockResolvedValueOnce(IMPORT_RUNNING).mockResolvedValueOnce(IMPORT_FINISHED);
        find(element, '.import-button').click();
        await flushPromises();
        expect(text(element, '.import-running')).toBe('c.TP_Import_Running');
        expect((find(element, '.import-button') as unknown as { disabled: boolean }).disabled).toBe(true);

        jest.advanceTimersByTime(IMPORT_POLL_MS);
        await flushPromises();
        expect(mocks.getImportStatus).toHaveBeenCalledWith({
            jobIds: ['a0F000000000003AAA', 'a0F000000000004AAA']
        });
        expect(findAll(element, '.import-job')[0].textContent).toContain('180');

        jest.advanceTimersByTime(IMPORT_POLL_MS);
        await flushPromises();
        expect(mocks.getImportStatus).toHaveBeenCalledTimes(2);
        // A failed stream is reported with its error.
        expect(text(element, '.import-summary')).toBe('c.TP_Import_Failed');
        jest.advanceTimersByTime(IMPORT_POLL_MS * 3);
        expect(mocks.getImportStatus).toHaveBeenCalledTimes(2);
    });

    it('resumes watching an import that is still running when the page opens, and stops when it closes', async () => {
        jest.useFakeTimers();
        const element = createElement('c-trustpilot-settings', { is: TrustpilotSettings });
        document.body.appendChild(element);
        settingsWire.emit({ ...SETTINGS, importJobs: IMPORT_RUNNING });
        await flushPromises();
        expect(text(element, '.import-running')).toBe('c.TP_Import_Running');
        document.body.removeChild(element);
        jest.advanceTimersByTime(IMPORT_POLL_MS * 2);
        expect(mocks.getImportStatus).not.toHaveBeenCalled();
    });

    it('shows a refused import and a failed progress read', async () => {
        const element = await render(SETTINGS);
        mocks.startImport.mockRejectedValueOnce({ body: { message: 'An import is already running.' } });
        find(element, '.import-button').click();
        await flushPromises();
        expect(findAlert(element, '.import-error').textContent).toBe('An import is already running.');

        jest.useFakeTimers();
        mocks.startImport.mockResolvedValueOnce(IMPORT_STARTED);
        mocks.getImportStatus.mockRejectedValueOnce(new Error('Network error'));
        find(element, '.import-button').click();
        await flushPromises();
        jest.advanceTimersByTime(IMPORT_POLL_MS);
        await flushPromises();
        expect(findAlert(element, '.import-error').textContent).toBe('Network error');
    });

    it('opens Manage keys and refreshes after the keys were saved', async () => {
        const element = await render(SETTINGS);
        const onToast = toasts(element);
        const open = jest
            .spyOn(TpManageKeysModal as unknown as { open: (config: unknown) => Promise<unknown> }, 'open')
            .mockResolvedValueOnce('saved')
            .mockResolvedValueOnce('cancel');
        find(element, '.manage-keys').click();
        await flushPromises();
        expect(open).toHaveBeenCalledWith({ size: 'small', label: 'c.TP_Keys_Title', hasKeys: false });
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Keys_Saved', variant: 'success' });
        expect(refreshApexMock).toHaveBeenCalledTimes(1);

        find(element, '.manage-keys').click();
        await flushPromises();
        expect(refreshApexMock).toHaveBeenCalledTimes(1);
        open.mockRestore();
    });

    it('refreshes when a rule section saved its rule', async () => {
        const element = await render(SETTINGS);
        find(element, '.rule-case').dispatchEvent(new CustomEvent('saved', { detail: { rule: {} } }));
        await flushPromises();
        expect(refreshApexMock).toHaveBeenCalled();
    });

    it('saves the sync interval, cool-down and service recovery threshold', async () => {
        const element = await render(SETTINGS);
        const onToast = toasts(element);
        mocks.saveGeneralSettings.mockResolvedValue(undefined);
        changeValue(find(element, '.sync-interval'), '240');
        changeValue(find(element, '.cool-down'), '45');
        changeValue(find(element, '.recovery'), '1');
        await flushPromises();
        validity(element, true);
        find(element, '.save-general').click();
        await flushPromises();
        expect(mocks.saveGeneralSettings).toHaveBeenCalledWith({
            syncIntervalMinutes: 240,
            coolDownDays: 45,
            serviceRecoveryThreshold: 1
        });
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_General_Saved', variant: 'success' });
    });

    it('validates and reports the general settings', async () => {
        const element = await render(SETTINGS);
        validity(element, false);
        find(element, '.save-general').click();
        await flushPromises();
        expect(findAlert(element, '.general-error').textContent).toBe('c.TP_Common_Required');
        expect(mocks.saveGeneralSettings).not.toHaveBeenCalled();

        validity(element, true);
        mocks.saveGeneralSettings.mockRejectedValue({
            body: { message: 'Cool-down must be 0 to 3650 days.' }
        });
        find(element, '.save-general').click();
        await flushPromises();
        expect(findAlert(element, '.general-error').textContent).toBe('Cool-down must be 0 to 3650 days.');
    });
});
