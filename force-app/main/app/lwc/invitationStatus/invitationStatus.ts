import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getInvitations from '@salesforce/apex/InvitationStatusController.getInvitations';
import retryInvitation from '@salesforce/apex/InvitationStatusController.retryInvitation';
import { errorText, formatCount, formatLabel } from 'c/tpUtils';

import TITLE from '@salesforce/label/c.TP_Status_Title';
import LOADING from '@salesforce/label/c.TP_Common_Loading';
import LOAD_ERROR from '@salesforce/label/c.TP_Common_Load_Error';
import REFRESH from '@salesforce/label/c.TP_Common_Refresh';
import ALL from '@salesforce/label/c.TP_Common_All';
import OUTSIDE_NOTE from '@salesforce/label/c.TP_Status_Outside_Salesforce';
import FILTER_STATUS from '@salesforce/label/c.TP_Status_Filter_Status';
import FILTER_OBJECT from '@salesforce/label/c.TP_Status_Filter_Object';
import FILTER_FROM from '@salesforce/label/c.TP_Status_Filter_From';
import FILTER_TO from '@salesforce/label/c.TP_Status_Filter_To';
import DATE_ORDER from '@salesforce/label/c.TP_Status_Date_Order';
import EMPTY from '@salesforce/label/c.TP_Status_Empty';
import LOAD_MORE from '@salesforce/label/c.TP_Status_Load_More';
import SHOWN from '@salesforce/label/c.TP_Status_Shown';
import SHOWN_ONE from '@salesforce/label/c.TP_Status_Shown_One';
import RETRY from '@salesforce/label/c.TP_Status_Retry';
import RETRY_DONE from '@salesforce/label/c.TP_Status_Retry_Done';
import RETRY_FAILED from '@salesforce/label/c.TP_Status_Retry_Failed';
import COPY_LINK from '@salesforce/label/c.TP_Status_Copy_Link';
import LINK_COPIED from '@salesforce/label/c.TP_Status_Link_Copied';
import COPY_FAILED from '@salesforce/label/c.TP_Status_Copy_Failed';
import COPY_FALLBACK from '@salesforce/label/c.TP_Status_Copy_Fallback';
import CLOSE from '@salesforce/label/c.TP_Common_Close';
import NO_ACTIONS from '@salesforce/label/c.TP_Status_No_Actions';
import COL_INVITATION from '@salesforce/label/c.TP_Column_Invitation';
import COL_STATUS from '@salesforce/label/c.TP_Column_Status';
import COL_REASON from '@salesforce/label/c.TP_Column_Reason';
import COL_SOURCE from '@salesforce/label/c.TP_Column_Source';
import COL_RECIPIENT from '@salesforce/label/c.TP_Column_Recipient';
import COL_DELIVERY from '@salesforce/label/c.TP_Column_Delivery';
import COL_CREATED from '@salesforce/label/c.TP_Column_Created';
import COL_DUE from '@salesforce/label/c.TP_Column_Due';
import COL_SENT from '@salesforce/label/c.TP_Column_Sent';
import OBJ_OPPORTUNITY from '@salesforce/label/c.TP_Object_Opportunity';
import OBJ_ORDER from '@salesforce/label/c.TP_Object_Order';
import OBJ_CASE from '@salesforce/label/c.TP_Object_Case';
import ST_PENDING from '@salesforce/label/c.TP_Invitation_Status_Pending';
import ST_SENT from '@salesforce/label/c.TP_Invitation_Status_Sent';
import ST_LINK from '@salesforce/label/c.TP_Invitation_Status_Link_Created';
import ST_SKIPPED from '@salesforce/label/c.TP_Invitation_Status_Skipped';
import ST_FAILED from '@salesforce/label/c.TP_Invitation_Status_Failed';

/** One row as InvitationStatusController.InvitationRowDto returns it. */
export interface InvitationRow {
    id: string;
    name: string;
    status: string;
    statusReason: string | null;
    sourceObject: string | null;
    sourceRecordId: string | null;
    sourceRecordName: string | null;
    contactId: string | null;
    /** The recipient's name, else their email address. */
    recipientName: string | null;
    delivery: string | null;
    createdDate: string;
    dueDate: string | null;
    sentDate: string | null;
    link: string | null;
    canRetry: boolean;
}

/** InvitationStatusController.PageDto: one page and the opaque cursor of its last row. */
export interface InvitationPage {
    rows: InvitationRow[];
    hasMore: boolean;
    nextCursor: string | null;
}

/** What the table shows per row: the DTO plus the record links the datatable renders. */
interface TableRow extends InvitationRow {
    invitationUrl: string;
    sourceUrl: string | null;
    sourceLabel: string | null;
    recipientUrl: string | null;
    recipientLabel: string | null;
}

interface RowAction {
    label: string;
    name: string;
    disabled?: boolean;
}

export const PAGE_SIZE = 50;

/** Datatable field → the server's sort key (InvitationStatusController.SORT_FIELDS). */
const SORT_KEYS: Record<string, string> = {
    invitationUrl: 'name',
    status: 'status',
    createdDate: 'createdDate',
    dueDate: 'dueDate',
    sentDate: 'sentDate'
};

function recordUrl(id: string | null): string | null {
    // A relative record URL: Lightning Experience and the mobile app resolve `/<id>` to the record page.
    return id ? `/${id}` : null;
}

/** The row actions offered for one invitation: Retry for Failed ones, Copy link for BGL ones. */
export function rowActionsFor(row: Pick<InvitationRow, 'canRetry' | 'link'>): RowAction[] {
    const actions: RowAction[] = [];
    if (row.canRetry) {
        actions.push({ label: RETRY, name: 'retry' });
    }
    if (row.link) {
        actions.push({ label: COPY_LINK, name: 'copy_link' });
    }
    if (actions.length === 0) {
        actions.push({ label: NO_ACTIONS, name: 'none', disabled: true });
    }
    return actions;
}

/**
 * Invitation Status: the package's invitations, filtered and sorted on the server and paged by the
 * sort key of the last row shown (keyset paging, so 100,000 invitations page as fast as 100).
 */
export default class InvitationStatus extends LightningElement {
    labels = {
        title: TITLE,
        loading: LOADING,
        refresh: REFRESH,
        outsideNote: OUTSIDE_NOTE,
        filterStatus: FILTER_STATUS,
        filterObject: FILTER_OBJECT,
        filterFrom: FILTER_FROM,
        filterTo: FILTER_TO,
        empty: EMPTY,
        loadMore: LOAD_MORE,
        copyFallback: COPY_FALLBACK,
        close: CLOSE
    };

    rows: TableRow[] = [];
    status = '';
    sourceObject = '';
    fromDate: string | null = null;
    toDate: string | null = null;
    sortedBy = 'createdDate';
    sortedDirection: 'asc' | 'desc' = 'desc';
    hasMore = false;
    loading = false;
    loaded = false;
    errorMessage: string | undefined;
    copyFallbackLink: string | undefined;

    private nextCursor: string | null = null;
    /** Increments per request so a slow, superseded answer never overwrites a newer one. */
    private requestSeq = 0;

    readonly columns = [
        {
            label: COL_INVITATION,
            fieldName: 'invitationUrl',
            type: 'url',
            sortable: true,
            typeAttributes: { label: { fieldName: 'name' }, target: '_self' }
        },
        { label: COL_STATUS, fieldName: 'status', type: 'text', sortable: true },
        { label: COL_REASON, fieldName: 'statusReason', type: 'text', wrapText: true },
        {
            label: COL_SOURCE,
            fieldName: 'sourceUrl',
            type: 'url',
            typeAttributes: { label: { fieldName: 'sourceLabel' }, target: '_self' }
        },
        {
            label: COL_RECIPIENT,
            fieldName: 'recipientUrl',
            type: 'url',
            typeAttributes: { label: { fieldName: 'recipientLabel' }, target: '_self' }
        },
        { label: COL_DELIVERY, fieldName: 'delivery', type: 'text' },
        {
            label: COL_CREATED,
            fieldName: 'createdDate',
            type: 'date',
            sortable: true,
            typeAttributes: {
                year: 'numeric',
                month: 'short',
                day: '2-digit',
                hour: '2-digit',
                minute: '2-digit'
            }
        },
        { label: COL_DUE, fieldName: 'dueDate', type: 'date-local', sortable: true },
        {
            label: COL_SENT,
            fieldName: 'sentDate',
            type: 'date',
            sortable: true,
            typeAttributes: {
                year: 'numeric',
                month: 'short',
                day: '2-digit',
                hour: '2-digit',
                minute: '2-digit'
            }
        },
        {
            type: 'action',
            typeAttributes: {
                rowActions: (row: InvitationRow, done: (actions: RowAction[]) => void) =>
                    done(rowActionsFor(row))
            }
        }
    ];

    get statusOptions(): { label: string; value: string }[] {
        return [
            { label: ALL, value: '' },
            { label: ST_PENDING, value: 'Pending' },
            { label: ST_SENT, value: 'Sent' },
            { label: ST_LINK, value: 'Link created' },
            { label: ST_SKIPPED, value: 'Skipped' },
            { label: ST_FAILED, value: 'Failed' }
        ];
    }

    get objectOptions(): { label: string; value: string }[] {
        return [
            { label: ALL, value: '' },
            { label: OBJ_OPPORTUNITY, value: 'Opportunity' },
            { label: OBJ_ORDER, value: 'Order' },
            { label: OBJ_CASE, value: 'Case' }
        ];
    }

    get isInitialLoad(): boolean {
        return !this.loaded && !this.errorMessage;
    }

    get isEmpty(): boolean {
        return this.loaded && !this.errorMessage && this.rows.length === 0;
    }

    get hasRows(): boolean {
        return this.rows.length > 0;
    }

    get shownText(): string {
        return formatCount(this.rows.length, SHOWN_ONE, SHOWN);
    }

    connectedCallback(): void {
        this.reload();
    }

    handleStatusChange(event: CustomEvent<{ value: string }>): void {
        this.status = event.detail.value;
        this.reload();
    }

    handleObjectChange(event: CustomEvent<{ value: string }>): void {
        this.sourceObject = event.detail.value;
        this.reload();
    }

    handleDateChange(event: CustomEvent<{ value: string | null }>): void {
        const target = event.target as HTMLElement & {
            name: string;
            setCustomValidity(message: string): void;
            reportValidity(): boolean;
        };
        const value = event.detail.value || null;
        if (target.name === 'fromDate') {
            this.fromDate = value;
        } else {
            this.toDate = value;
        }
        const invalid = this.fromDate !== null && this.toDate !== null && this.fromDate > this.toDate;
        target.setCustomValidity(invalid ? DATE_ORDER : '');
        target.reportValidity();
        if (!invalid) {
            this.reload();
        }
    }

    handleSort(event: CustomEvent<{ fieldName: string; sortDirection: 'asc' | 'desc' }>): void {
        this.sortedBy = event.detail.fieldName;
        this.sortedDirection = event.detail.sortDirection;
        this.reload();
    }

    handleRefresh(): void {
        this.reload();
    }

    handleLoadMore(): void {
        this.load(false);
    }

    async handleRowAction(
        event: CustomEvent<{ action: { name: string }; row: InvitationRow }>
    ): Promise<void> {
        const { action, row } = event.detail;
        if (action.name === 'retry') {
            await this.retry(row);
        } else if (action.name === 'copy_link' && row.link) {
            await this.copyLink(row.link);
        }
    }

    handleDismissCopyFallback(): void {
        this.copyFallbackLink = undefined;
    }

    private reload(): Promise<void> {
        this.nextCursor = null;
        return this.load(true);
    }

    private async load(reset: boolean): Promise<void> {
        const seq = ++this.requestSeq;
        this.loading = true;
        this.errorMessage = undefined;
        const request = {
            status: this.status || null,
            sourceObject: this.sourceObject || null,
            fromDate: this.fromDate,
            toDate: this.toDate,
            sortBy: SORT_KEYS[this.sortedBy] ?? 'createdDate',
            sortDirection: this.sortedDirection,
            cursor: reset ? null : this.nextCursor,
            pageSize: PAGE_SIZE
        };
        try {
            const page = await getInvitations<InvitationPage>({ requestJson: JSON.stringify(request) });
            if (seq !== this.requestSeq) {
                return;
            }
            const mapped = page.rows.map((row) => this.toTableRow(row));
            this.rows = reset ? mapped : [...this.rows, ...mapped];
            this.hasMore = page.hasMore;
            this.nextCursor = page.nextCursor;
        } catch (error) {
            if (seq !== this.requestSeq) {
                return;
            }
            this.errorMessage = errorText(error, LOAD_ERROR);
        } finally {
            if (seq === this.requestSeq) {
                this.loading = false;
                this.loaded = true;
            }
        }
    }

    private toTableRow(row: InvitationRow): TableRow {
        return {
            ...row,
            invitationUrl: `/${row.id}`,
            sourceUrl: recordUrl(row.sourceRecordId),
            sourceLabel: row.sourceRecordName ?? row.sourceObject,
            recipientUrl: recordUrl(row.contactId),
            recipientLabel: row.recipientName
        };
    }

    private async retry(row: InvitationRow): Promise<void> {
        try {
            const updated = await retryInvitation<InvitationRow>({ invitationId: row.id });
            this.rows = this.rows.map((r) => (r.id === updated.id ? this.toTableRow(updated) : r));
            this.toast(formatLabel(RETRY_DONE, row.name), 'success');
        } catch (error) {
            this.toast(errorText(error, RETRY_FAILED), 'error');
        }
    }

    private async copyLink(link: string): Promise<void> {
        try {
            await navigator.clipboard.writeText(link);
            this.copyFallbackLink = undefined;
            this.toast(LINK_COPIED, 'success');
        } catch {
            // No clipboard access (permissions, older mobile webviews): show the link to copy by hand.
            this.copyFallbackLink = link;
            this.toast(COPY_FAILED, 'warning');
        }
    }

    private toast(message: string, variant: 'success' | 'error' | 'warning'): void {
        this.dispatchEvent(new ShowToastEvent({ message, variant }));
    }
}
