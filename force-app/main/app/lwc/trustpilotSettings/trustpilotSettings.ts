import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import LightningConfirm from 'lightning/confirm';
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
import TpManageKeysModal from 'c/tpManageKeysModal';
import type { InvitationRule, RuleObject } from 'c/tpInvitationRule';
import { confirmAction, errorText, formatCount, formatLabel, openModal } from 'c/tpUtils';
import CAN_MANAGE_SETTINGS from '@salesforce/customPermission/Trustpilot_Manage_Settings';

import TITLE from '@salesforce/label/c.TP_Settings_Title';
import LOADING from '@salesforce/label/c.TP_Common_Loading';
import LOAD_ERROR from '@salesforce/label/c.TP_Common_Load_Error';
import SAVE_FAILED from '@salesforce/label/c.TP_Common_Save_Failed';
import SAVE from '@salesforce/label/c.TP_Common_Save_Changes';
import REQUIRED from '@salesforce/label/c.TP_Common_Required';
import NO_ACCESS from '@salesforce/label/c.TP_Settings_No_Access';
import TAB_CONNECTION from '@salesforce/label/c.TP_Settings_Tab_Connection';
import TAB_IMPORT from '@salesforce/label/c.TP_Settings_Tab_Import';
import TAB_OPPORTUNITIES from '@salesforce/label/c.TP_Settings_Tab_Opportunities';
import TAB_ORDERS from '@salesforce/label/c.TP_Settings_Tab_Orders';
import TAB_CASES from '@salesforce/label/c.TP_Settings_Tab_Cases';
import TAB_LINKS from '@salesforce/label/c.TP_Settings_Tab_Links';
import TAB_GENERAL from '@salesforce/label/c.TP_Settings_Tab_General';
import CONNECTED from '@salesforce/label/c.TP_Settings_Connected';
import NOT_CONNECTED from '@salesforce/label/c.TP_Settings_Not_Connected';
import API_KEY from '@salesforce/label/c.TP_Settings_Api_Key';
import API_SECRET from '@salesforce/label/c.TP_Settings_Api_Secret';
import CREDENTIALS_HELP from '@salesforce/label/c.TP_Settings_Credentials_Help';
import DOMAIN from '@salesforce/label/c.TP_Settings_Domain';
import DOMAIN_HELP from '@salesforce/label/c.TP_Settings_Domain_Help';
import BUSINESS_USER from '@salesforce/label/c.TP_Settings_Business_User_Id';
import BUSINESS_USER_HELP from '@salesforce/label/c.TP_Settings_Business_User_Help';
import CONNECT from '@salesforce/label/c.TP_Settings_Connect';
import CONNECTED_TOAST from '@salesforce/label/c.TP_Settings_Connected_Toast';
import TEST from '@salesforce/label/c.TP_Settings_Test_Connection';
import TEST_OK from '@salesforce/label/c.TP_Settings_Test_Ok';
import TEST_FAILED from '@salesforce/label/c.TP_Settings_Test_Failed';
import DISCONNECT from '@salesforce/label/c.TP_Settings_Disconnect';
import DISCONNECT_CONFIRM from '@salesforce/label/c.TP_Settings_Disconnect_Confirm';
import DISCONNECTED from '@salesforce/label/c.TP_Settings_Disconnected';
import BOTH_CREDENTIALS from '@salesforce/label/c.TP_Settings_Both_Credentials';
import DEFAULT_UNIT from '@salesforce/label/c.TP_Settings_Default_Unit';
import ADD_UNIT_DOMAIN from '@salesforce/label/c.TP_Settings_Add_Unit_Domain';
import ADD_UNIT from '@salesforce/label/c.TP_Settings_Add_Unit';
import UNIT_ADDED from '@salesforce/label/c.TP_Settings_Unit_Added';
import DEFAULT_SAVED from '@salesforce/label/c.TP_Settings_Default_Saved';
import TOTAL_REVIEWS from '@salesforce/label/c.TP_Home_Total_Reviews';
import TOTAL_REVIEWS_ONE from '@salesforce/label/c.TP_Home_Total_Reviews_One';
import TRUSTSCORE from '@salesforce/label/c.TP_Home_TrustScore';
import IMPORT_INTRO from '@salesforce/label/c.TP_Import_Intro';
import IMPORT from '@salesforce/label/c.TP_Import_Button';
import IMPORT_RUNNING from '@salesforce/label/c.TP_Import_Running';
import IMPORT_DONE from '@salesforce/label/c.TP_Import_Done';
import IMPORT_FAILED from '@salesforce/label/c.TP_Import_Failed';
import IMPORT_NEEDS_CONNECTION from '@salesforce/label/c.TP_Import_Needs_Connection';
import COL_UNIT from '@salesforce/label/c.TP_Common_Business_Unit';
import COL_STREAM from '@salesforce/label/c.TP_Import_Column_Stream';
import COL_STATUS from '@salesforce/label/c.TP_Column_Status';
import COL_PAGES from '@salesforce/label/c.TP_Import_Column_Pages';
import COL_CREATED from '@salesforce/label/c.TP_Import_Column_Created';
import COL_UPDATED from '@salesforce/label/c.TP_Import_Column_Updated';
import COL_ERRORS from '@salesforce/label/c.TP_Import_Column_Errors';
import KEYS_INTRO from '@salesforce/label/c.TP_Keys_Section_Intro';
import KEYS_STORED from '@salesforce/label/c.TP_Keys_Stored';
import KEYS_MISSING from '@salesforce/label/c.TP_Keys_Missing';
import MANAGE_KEYS from '@salesforce/label/c.TP_Keys_Manage';
import KEYS_TITLE from '@salesforce/label/c.TP_Keys_Title';
import KEYS_SAVED from '@salesforce/label/c.TP_Keys_Saved';
import SYNC_INTERVAL from '@salesforce/label/c.TP_General_Sync_Interval';
import COOL_DOWN from '@salesforce/label/c.TP_General_Cool_Down';
import COOL_DOWN_HELP from '@salesforce/label/c.TP_General_Cool_Down_Help';
import RECOVERY from '@salesforce/label/c.TP_General_Recovery_Threshold';
import RECOVERY_HELP from '@salesforce/label/c.TP_General_Recovery_Help';
import RECOVERY_OFF from '@salesforce/label/c.TP_General_Recovery_Off';
import RECOVERY_STARS from '@salesforce/label/c.TP_General_Recovery_Stars';
import RECOVERY_STARS_ONE from '@salesforce/label/c.TP_General_Recovery_Stars_One';
import MINUTES from '@salesforce/label/c.TP_General_Minutes';
import HOURS from '@salesforce/label/c.TP_General_Hours';
import HOURS_ONE from '@salesforce/label/c.TP_General_Hours_One';
import GENERAL_SAVED from '@salesforce/label/c.TP_General_Saved';

/** SettingsController.ConnectionDto. */
export interface ConnectionInfo {
    connected: boolean;
    domain: string | null;
    businessUserId: string | null;
    businessUnitName: string | null;
    trustScore: number | null;
    stars: number | null;
    reviewCount: number | null;
    lastError: string | null;
}

export interface BusinessUnitInfo {
    id: string;
    name: string;
    domain: string | null;
    isDefault: boolean;
}

/** SettingsController.ImportJobDto: one Sync_Job__c of an import run. */
export interface ImportJob {
    id: string;
    businessUnitName: string | null;
    stream: string | null;
    status: string;
    pages: number;
    reviewsCreated: number;
    reviewsUpdated: number;
    errors: number;
    lastError: string | null;
}

/** SettingsController.SettingsDto. Never carries a key or a secret. */
export interface SettingsData {
    canManage: boolean;
    connection: ConnectionInfo;
    businessUnits: BusinessUnitInfo[];
    syncIntervalMinutes: number;
    coolDownDays: number;
    serviceRecoveryThreshold: number;
    hasBglKeys: boolean;
    rules: InvitationRule[];
    importJobs: ImportJob[];
}

interface WireResult<T> {
    data?: T;
    error?: unknown;
}

interface Validatable extends HTMLElement {
    reportValidity(): boolean;
}

/** How often Import Reviews progress is read while jobs run. */
export const IMPORT_POLL_MS = 3000;
const FINISHED = new Set(['Completed', 'Failed']);
const SYNC_INTERVALS = [15, 30, 60, 120, 240, 720, 1440];

/**
 * Trustpilot Settings (Super User only; the server enforces the Trustpilot_Manage_Settings custom
 * permission on every write): connection, Import Reviews, the three invitation rules, Business
 * Generated Link keys, sync interval, cool-down and service recovery.
 */
export default class TrustpilotSettings extends LightningElement {
    labels = {
        title: TITLE,
        loading: LOADING,
        noAccess: NO_ACCESS,
        tabConnection: TAB_CONNECTION,
        tabImport: TAB_IMPORT,
        tabOpportunities: TAB_OPPORTUNITIES,
        tabOrders: TAB_ORDERS,
        tabCases: TAB_CASES,
        tabLinks: TAB_LINKS,
        tabGeneral: TAB_GENERAL,
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        credentialsHelp: CREDENTIALS_HELP,
        domain: DOMAIN,
        domainHelp: DOMAIN_HELP,
        businessUser: BUSINESS_USER,
        businessUserHelp: BUSINESS_USER_HELP,
        connect: CONNECT,
        test: TEST,
        disconnect: DISCONNECT,
        defaultUnit: DEFAULT_UNIT,
        addUnitDomain: ADD_UNIT_DOMAIN,
        addUnit: ADD_UNIT,
        trustScore: TRUSTSCORE,
        importIntro: IMPORT_INTRO,
        import: IMPORT,
        importRunning: IMPORT_RUNNING,
        importNeedsConnection: IMPORT_NEEDS_CONNECTION,
        colUnit: COL_UNIT,
        colStream: COL_STREAM,
        colStatus: COL_STATUS,
        colPages: COL_PAGES,
        colCreated: COL_CREATED,
        colUpdated: COL_UPDATED,
        colErrors: COL_ERRORS,
        keysIntro: KEYS_INTRO,
        manageKeys: MANAGE_KEYS,
        syncInterval: SYNC_INTERVAL,
        coolDown: COOL_DOWN,
        coolDownHelp: COOL_DOWN_HELP,
        recovery: RECOVERY,
        recoveryHelp: RECOVERY_HELP,
        save: SAVE
    };

    settings: SettingsData | undefined;
    loadError: unknown;
    loaded = false;

    /** Write-only inputs: typed here, sent once, then cleared. */
    apiKey = '';
    apiSecret = '';
    domain = '';
    businessUserId = '';
    newUnitDomain = '';
    syncIntervalMinutes = '60';
    coolDownDays = 30;
    serviceRecoveryThreshold = '0';

    busy = false;
    connectionError: string | undefined;
    testResult: { ok: boolean; text: string } | undefined;
    generalError: string | undefined;

    importJobs: ImportJob[] = [];
    importError: string | undefined;
    private pollTimer: ReturnType<typeof setTimeout> | undefined;
    private wiredSettings: WireResult<SettingsData> | undefined;

    @wire(getSettings)
    wiredGetSettings(result: WireResult<SettingsData>): void {
        this.wiredSettings = result;
        if (result.data) {
            this.applySettings(result.data);
            this.loadError = undefined;
            this.loaded = true;
        } else if (result.error) {
            this.loadError = result.error;
            this.loaded = true;
        }
    }

    disconnectedCallback(): void {
        this.stopPolling();
    }

    private applySettings(data: SettingsData): void {
        const first = this.settings === undefined;
        this.settings = data;
        if (first) {
            this.domain = data.connection.domain ?? '';
            this.businessUserId = data.connection.businessUserId ?? '';
            this.syncIntervalMinutes = String(data.syncIntervalMinutes);
            this.coolDownDays = data.coolDownDays;
            this.serviceRecoveryThreshold = String(data.serviceRecoveryThreshold);
            this.importJobs = data.importJobs ?? [];
            if (this.importRunning) {
                this.schedulePoll();
            }
        }
    }

    // ------------------------------------------------------------------ view state

    // An App User reaching this page anyway (tab in a profile, a direct URL) has no access to the
    // controller class: the Super User message is shown instead of the platform's access error.
    get isLoading(): boolean {
        return CAN_MANAGE_SETTINGS === true && !this.loaded;
    }

    get loadErrorMessage(): string | undefined {
        return this.loadError && !this.showNoAccess ? errorText(this.loadError, LOAD_ERROR) : undefined;
    }

    get showNoAccess(): boolean {
        return CAN_MANAGE_SETTINGS !== true || (this.settings !== undefined && !this.settings.canManage);
    }

    get canManage(): boolean {
        return this.settings?.canManage === true;
    }

    get connected(): boolean {
        return this.settings?.connection.connected === true;
    }

    get notConnected(): boolean {
        return !this.connected;
    }

    get connectionBadge(): string {
        return this.connected ? CONNECTED : NOT_CONNECTED;
    }

    get connectionBadgeClass(): string {
        return this.connected ? 'slds-badge slds-theme_success' : 'slds-badge';
    }

    get connection(): ConnectionInfo | undefined {
        return this.settings?.connection;
    }

    get totalReviewsText(): string {
        return formatCount(this.settings?.connection.reviewCount ?? 0, TOTAL_REVIEWS_ONE, TOTAL_REVIEWS);
    }

    get lastError(): string | null {
        return this.settings?.connection.lastError ?? null;
    }

    get testResultClass(): string {
        return this.testResult?.ok
            ? 'slds-text-color_success test-result'
            : 'slds-text-color_error test-result';
    }

    get businessUnitOptions(): { label: string; value: string }[] {
        return (this.settings?.businessUnits ?? []).map((bu) => ({
            label: bu.domain ? `${bu.name} (${bu.domain})` : bu.name,
            value: bu.id
        }));
    }

    get defaultBusinessUnitId(): string | undefined {
        return this.settings?.businessUnits.find((bu) => bu.isDefault)?.id;
    }

    get hasBusinessUnits(): boolean {
        return (this.settings?.businessUnits.length ?? 0) > 0;
    }

    get ruleBusinessUnits(): { id: string; name: string; isDefault: boolean }[] {
        return (this.settings?.businessUnits ?? []).map((bu) => ({
            id: bu.id,
            name: bu.name,
            isDefault: bu.isDefault
        }));
    }

    get opportunityRule(): InvitationRule | null {
        return this.ruleFor('Opportunity');
    }

    get orderRule(): InvitationRule | null {
        return this.ruleFor('Order');
    }

    get caseRule(): InvitationRule | null {
        return this.ruleFor('Case');
    }

    get hasBglKeys(): boolean {
        return this.settings?.hasBglKeys === true;
    }

    get keysStatus(): string {
        return this.hasBglKeys ? KEYS_STORED : KEYS_MISSING;
    }

    get syncIntervalOptions(): { label: string; value: string }[] {
        return SYNC_INTERVALS.map((minutes) => ({
            label: minutes < 60 ? formatLabel(MINUTES, minutes) : formatCount(minutes / 60, HOURS_ONE, HOURS),
            value: String(minutes)
        }));
    }

    get recoveryOptions(): { label: string; value: string }[] {
        const options = [{ label: RECOVERY_OFF, value: '0' }];
        for (let stars = 1; stars <= 4; stars++) {
            options.push({
                label: formatCount(stars, RECOVERY_STARS_ONE, RECOVERY_STARS),
                value: String(stars)
            });
        }
        return options;
    }

    get importRunning(): boolean {
        return this.importJobs.length > 0 && this.importJobs.some((job) => !FINISHED.has(job.status));
    }

    get importDisabled(): boolean {
        return this.busy || this.importRunning || !this.connected;
    }

    get hasImportJobs(): boolean {
        return this.importJobs.length > 0;
    }

    get importSummary(): string | undefined {
        if (!this.hasImportJobs || this.importRunning) {
            return undefined;
        }
        const created = this.importJobs.reduce((sum, job) => sum + (job.reviewsCreated ?? 0), 0);
        const updated = this.importJobs.reduce((sum, job) => sum + (job.reviewsUpdated ?? 0), 0);
        const failed = this.importJobs.find((job) => job.status === 'Failed');
        if (failed) {
            return formatLabel(IMPORT_FAILED, failed.lastError ?? '');
        }
        return formatLabel(IMPORT_DONE, created, updated);
    }

    private ruleFor(objectName: RuleObject): InvitationRule | null {
        return this.settings?.rules.find((rule) => rule.objectName === objectName) ?? null;
    }

    // ------------------------------------------------------------------ connection

    handleInput(event: CustomEvent<{ value: string }>): void {
        const name = (event.target as HTMLElement & { name: string }).name;
        const value = event.detail.value ?? '';
        switch (name) {
            case 'apiKey':
                this.apiKey = value;
                break;
            case 'apiSecret':
                this.apiSecret = value;
                break;
            case 'domain':
                this.domain = value;
                break;
            case 'businessUserId':
                this.businessUserId = value;
                break;
            case 'newUnitDomain':
                this.newUnitDomain = value;
                break;
            case 'syncIntervalMinutes':
                this.syncIntervalMinutes = value;
                break;
            case 'coolDownDays':
                this.coolDownDays = Number.parseInt(value, 10);
                break;
            case 'serviceRecoveryThreshold':
                this.serviceRecoveryThreshold = value;
                break;
            default:
                break;
        }
    }

    async handleConnect(): Promise<void> {
        this.connectionError = undefined;
        this.testResult = undefined;
        if (!this.reportValidity('.connection-form')) {
            this.connectionError = REQUIRED;
            return;
        }
        if (this.apiKey.trim().length > 0 !== this.apiSecret.trim().length > 0) {
            this.connectionError = BOTH_CREDENTIALS;
            return;
        }
        await this.run(
            async () => {
                // Two calls on purpose: the credentials are stored first (ConnectApi), and the connection's
                // callout then runs in its own transaction with them.
                if (this.apiKey.trim().length > 0) {
                    await saveCredentials({ apiKey: this.apiKey.trim(), apiSecret: this.apiSecret.trim() });
                }
                const result = await connect<ConnectionInfo>({
                    domain: this.domain.trim(),
                    businessUserId: this.businessUserId.trim()
                });
                this.apiKey = '';
                this.apiSecret = '';
                this.toast(formatLabel(CONNECTED_TOAST, result.businessUnitName ?? this.domain), 'success');
            },
            (message) => {
                this.connectionError = message;
            }
        );
    }

    async handleTest(): Promise<void> {
        this.testResult = undefined;
        await this.run(
            async () => {
                const result = await testConnection<ConnectionInfo>();
                this.testResult = result.connected
                    ? {
                          ok: true,
                          text: formatLabel(
                              TEST_OK,
                              result.businessUnitName ?? '',
                              result.trustScore ?? '',
                              result.reviewCount ?? 0
                          )
                      }
                    : { ok: false, text: result.lastError ?? TEST_FAILED };
            },
            (message) => {
                this.testResult = { ok: false, text: message };
            }
        );
    }

    async handleDisconnect(): Promise<void> {
        if (!(await confirmAction(LightningConfirm, DISCONNECT_CONFIRM, DISCONNECT))) {
            return;
        }
        await this.run(
            async () => {
                await disconnect();
                this.stopPolling();
                this.importJobs = [];
                this.testResult = undefined;
                this.toast(DISCONNECTED, 'success');
            },
            (message) => {
                this.connectionError = message;
            }
        );
    }

    async handleAddUnit(): Promise<void> {
        if (!this.reportValidity('.add-unit')) {
            return;
        }
        await this.run(
            async () => {
                await addBusinessUnit({ domain: this.newUnitDomain.trim() });
                this.newUnitDomain = '';
                this.toast(UNIT_ADDED, 'success');
            },
            (message) => {
                this.connectionError = message;
            }
        );
    }

    async handleDefaultUnitChange(event: CustomEvent<{ value: string }>): Promise<void> {
        const businessUnitId = event.detail.value;
        await this.run(
            async () => {
                await setDefaultBusinessUnit({ businessUnitId });
                this.toast(DEFAULT_SAVED, 'success');
            },
            (message) => {
                this.connectionError = message;
            }
        );
    }

    // ------------------------------------------------------------------ import

    async handleImport(): Promise<void> {
        this.importError = undefined;
        await this.run(
            async () => {
                this.importJobs = await startImport<ImportJob[]>();
                this.schedulePoll();
            },
            (message) => {
                this.importError = message;
            }
        );
    }

    private schedulePoll(): void {
        this.stopPolling();
        // Import progress lives in Sync_Job__c records that the queueable chain updates; read it every few
        // seconds until every job finished. Cleared in disconnectedCallback.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.pollTimer = setTimeout(() => {
            this.poll();
        }, IMPORT_POLL_MS);
    }

    private async poll(): Promise<void> {
        this.pollTimer = undefined;
        try {
            this.importJobs = await getImportStatus<ImportJob[]>({
                jobIds: this.importJobs.map((job) => job.id)
            });
        } catch (error) {
            this.importError = errorText(error, LOAD_ERROR);
            return;
        }
        if (this.importRunning) {
            this.schedulePoll();
        } else {
            await this.refresh();
        }
    }

    private stopPolling(): void {
        if (this.pollTimer !== undefined) {
            clearTimeout(this.pollTimer);
            this.pollTimer = undefined;
        }
    }

    // ------------------------------------------------------------------ keys, rules, general

    async handleManageKeys(): Promise<void> {
        const result = await openModal<string>(TpManageKeysModal, {
            size: 'small',
            label: KEYS_TITLE,
            hasKeys: this.hasBglKeys
        });
        if (result === 'saved') {
            this.toast(KEYS_SAVED, 'success');
            await this.refresh();
        }
    }

    async handleRuleSaved(): Promise<void> {
        await this.refresh();
    }

    async handleSaveGeneral(): Promise<void> {
        this.generalError = undefined;
        if (!this.reportValidity('.general-form')) {
            this.generalError = REQUIRED;
            return;
        }
        await this.run(
            async () => {
                await saveGeneralSettings({
                    syncIntervalMinutes: Number(this.syncIntervalMinutes),
                    coolDownDays: this.coolDownDays,
                    serviceRecoveryThreshold: Number(this.serviceRecoveryThreshold)
                });
                this.toast(GENERAL_SAVED, 'success');
            },
            (message) => {
                this.generalError = message;
            }
        );
    }

    // ------------------------------------------------------------------ helpers

    /** Runs one server action with the busy flag, refreshes the settings after it, reports failures. */
    private async run(action: () => Promise<void>, onError: (message: string) => void): Promise<void> {
        this.busy = true;
        try {
            await action();
            await this.refresh();
        } catch (error) {
            onError(errorText(error, SAVE_FAILED));
        } finally {
            this.busy = false;
        }
    }

    private async refresh(): Promise<void> {
        if (this.wiredSettings) {
            await refreshApex(this.wiredSettings);
        }
    }

    private reportValidity(containerSelector: string): boolean {
        const inputs = Array.from(
            this.template?.querySelectorAll<Validatable>(
                `${containerSelector} lightning-input, ${containerSelector} lightning-combobox`
            ) ?? []
        );
        return inputs.reduce((valid, input) => input.reportValidity() && valid, true);
    }

    private toast(message: string, variant: 'success' | 'error'): void {
        this.dispatchEvent(new ShowToastEvent({ message, variant }));
    }
}
