import { createElement } from 'lwc';
import InvitationStatus, { rowActionsFor, PAGE_SIZE } from 'c/invitationStatus';
import getInvitations from '@salesforce/apex/InvitationStatusController.getInvitations';
import retryInvitation from '@salesforce/apex/InvitationStatusController.retryInvitation';
import {
    changeValue,
    find,
    findAlert,
    findAll,
    flushPromises,
    resetDom,
    type MockFn
} from '../../../../../tests/jest-mocks/testing';
import PAGE_1 from './data/page1.json';
import PAGE_2 from './data/page2.json';
import EMPTY from './data/empty.json';

jest.mock('@salesforce/apex/InvitationStatusController.getInvitations', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/InvitationStatusController.retryInvitation', () => ({ default: jest.fn() }), {
    virtual: true
});

const getInvitationsMock = getInvitations as unknown as MockFn;
const retryMock = retryInvitation as unknown as MockFn;

interface DatatableStub extends HTMLElement {
    data: {
        id: string;
        status: string;
        sourceUrl: string | null;
        sourceLabel: string | null;
        recipientLabel: string | null;
        recipientUrl: string | null;
    }[];
    columns: { fieldName?: string; type?: string; typeAttributes?: { rowActions?: unknown } }[];
    sortedBy: string;
    sortedDirection: string;
}

/** The request the component sent in its n-th getInvitations call (0-based). */
function request(n: number): Record<string, unknown> {
    const params = getInvitationsMock.mock.calls[n][0] as { requestJson: string };
    return JSON.parse(params.requestJson) as Record<string, unknown>;
}

async function render(): Promise<HTMLElement> {
    const element = createElement('c-invitation-status', { is: InvitationStatus });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function table(element: HTMLElement): DatatableStub {
    return find<DatatableStub>(element, 'lightning-datatable');
}

function toasts(element: HTMLElement): MockFn {
    const handler = jest.fn();
    element.addEventListener('lightning__showtoast', (event) => handler((event as CustomEvent).detail));
    return handler;
}

function rowAction(element: HTMLElement, name: string, row: unknown): void {
    table(element).dispatchEvent(new CustomEvent('rowaction', { detail: { action: { name }, row } }));
}

describe('c-invitation-status', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('shows a spinner on the first load and says invitations sent outside Salesforce are not listed', async () => {
        getInvitationsMock.mockReturnValue(new Promise(() => undefined));
        const element = await render();
        expect(findAll(element, 'lightning-spinner')).toHaveLength(1);
        expect(find(element, '.outside-note').textContent!.trim()).toBe('c.TP_Status_Outside_Salesforce');
        await expect(element).toBeAccessible();
    });

    it('loads the first page sorted by newest first, with record links', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        const element = await render();

        expect(request(0)).toEqual({
            status: null,
            sourceObject: null,
            fromDate: null,
            toDate: null,
            sortBy: 'createdDate',
            sortDirection: 'desc',
            cursor: null,
            pageSize: PAGE_SIZE
        });
        const rows = table(element).data;
        expect(rows.map((r) => r.id)).toEqual(['a0D000000000001AAA', 'a0D000000000002AAA']);
        expect(rows[0].sourceUrl).toBe('/006000000000001AAA');
        expect(rows[0].sourceLabel).toBe('Acme - 200 shoes');
        expect(rows[0].recipientUrl).toBe('/003000000000001AAA');
        // Without a contact or a record name the row still says who and what.
        expect(rows[1].recipientUrl).toBeNull();
        expect(rows[1].recipientLabel).toBe('john@example.com');
        expect(rows[1].sourceLabel).toBe('Case');
        expect(find(element, '.shown').textContent).toBe('c.TP_Status_Shown');
        expect(findAll(element, 'lightning-button.load-more')).toHaveLength(1);
        await expect(element).toBeAccessible();
    });

    it('counts a single invitation with the singular label', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_2);
        const element = await render();
        expect(table(element).data).toHaveLength(1);
        expect(find(element, '.shown').textContent).toBe('c.TP_Status_Shown_One');
    });

    it('pages with the cursor of the last row and appends the next page', async () => {
        getInvitationsMock.mockResolvedValueOnce(PAGE_1).mockResolvedValueOnce(PAGE_2);
        const element = await render();
        find(element, 'lightning-button.load-more').click();
        await flushPromises();

        expect(request(1).cursor).toBe('cursor-after-page-1');
        expect(table(element).data).toHaveLength(3);
        expect(findAll(element, 'lightning-button.load-more')).toHaveLength(0);
    });

    it('sorts on the server and starts again from the first page', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        const element = await render();
        table(element).dispatchEvent(
            new CustomEvent('sort', { detail: { fieldName: 'invitationUrl', sortDirection: 'asc' } })
        );
        await flushPromises();

        expect(request(1)).toEqual(
            expect.objectContaining({ sortBy: 'name', sortDirection: 'asc', cursor: null })
        );
        expect(table(element).sortedBy).toBe('invitationUrl');
        expect(table(element).sortedDirection).toBe('asc');
    });

    it('filters by status, object and date range', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        const element = await render();
        changeValue(find(element, '.filter-status'), 'Failed');
        await flushPromises();
        changeValue(find(element, '.filter-object'), 'Case');
        await flushPromises();
        changeValue(find(element, '.filter-from'), '2026-11-01');
        await flushPromises();
        changeValue(find(element, '.filter-to'), '2026-11-30');
        await flushPromises();

        expect(request(4)).toEqual(
            expect.objectContaining({
                status: 'Failed',
                sourceObject: 'Case',
                fromDate: '2026-11-01',
                toDate: '2026-11-30',
                cursor: null
            })
        );
    });

    it('refuses a date range that ends before it starts', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        const element = await render();
        const to = find(element, '.filter-to');
        Object.assign(to, { setCustomValidity: jest.fn(), reportValidity: jest.fn() });
        changeValue(find(element, '.filter-from'), '2026-11-30');
        await flushPromises();
        changeValue(to, '2026-11-01');
        await flushPromises();

        expect((to as unknown as { setCustomValidity: MockFn }).setCustomValidity).toHaveBeenCalledWith(
            'c.TP_Status_Date_Order'
        );
        expect(getInvitationsMock).toHaveBeenCalledTimes(2);
    });

    it('shows the empty state', async () => {
        getInvitationsMock.mockResolvedValue(EMPTY);
        const element = await render();
        expect(find(element, '.empty').textContent).toBe('c.TP_Status_Empty');
        expect(findAll(element, 'lightning-datatable')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('shows the server error', async () => {
        getInvitationsMock.mockRejectedValue({ body: { message: 'Invalid sort field' } });
        const element = await render();
        expect(findAlert(element, '.error').textContent).toBe('Invalid sort field');
        await expect(element).toBeAccessible();
    });

    it('ignores an answer that a newer request superseded', async () => {
        let resolveFirst: (value: unknown) => void = () => undefined;
        getInvitationsMock
            .mockReturnValueOnce(new Promise((resolve) => (resolveFirst = resolve)))
            .mockResolvedValueOnce(PAGE_2);
        const element = await render();
        find(element, '.refresh').click();
        await flushPromises();
        resolveFirst(PAGE_1);
        await flushPromises();
        expect(table(element).data.map((r) => r.id)).toEqual(['a0D000000000003AAA']);
    });

    it('retries a failed invitation and shows its new status', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        retryMock.mockResolvedValue({
            ...PAGE_1.rows[1],
            status: 'Pending',
            statusReason: null,
            canRetry: false
        });
        const element = await render();
        const onToast = toasts(element);
        rowAction(element, 'retry', PAGE_1.rows[1]);
        await flushPromises();

        expect(retryMock).toHaveBeenCalledWith({ invitationId: 'a0D000000000002AAA' });
        expect(table(element).data[1].status).toBe('Pending');
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Status_Retry_Done', variant: 'success' });
    });

    it('reports a refused retry', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        retryMock.mockRejectedValue({ body: { message: 'Only failed invitations can be retried.' } });
        const element = await render();
        const onToast = toasts(element);
        rowAction(element, 'retry', PAGE_1.rows[1]);
        await flushPromises();
        expect(onToast).toHaveBeenCalledWith({
            message: 'Only failed invitations can be retried.',
            variant: 'error'
        });
        expect(table(element).data[1].status).toBe('Failed');
    });

    it('copies a Business Generated Link to the clipboard', async () => {
        const writeText = jest.fn(() => Promise.resolve());
        Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
        getInvitationsMock.mockResolvedValue(PAGE_2);
        const element = await render();
        const onToast = toasts(element);
        rowAction(element, 'copy_link', PAGE_2.rows[0]);
        await flushPromises();

        expect(writeText).toHaveBeenCalledWith('https://www.trustpilot.com/evaluate-bgl/acme.co.uk?p=abc');
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Status_Link_Copied', variant: 'success' });
        expect(findAll(element, '.copy-fallback')).toHaveLength(0);
    });

    it('shows the link to copy by hand when the clipboard is unavailable', async () => {
        Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
        getInvitationsMock.mockResolvedValue(PAGE_2);
        const element = await render();
        const onToast = toasts(element);
        rowAction(element, 'copy_link', PAGE_2.rows[0]);
        await flushPromises();

        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Status_Copy_Failed', variant: 'warning' });
        const fallback = find(element, '.copy-fallback-link') as unknown as { value: string };
        expect(fallback.value).toBe('https://www.trustpilot.com/evaluate-bgl/acme.co.uk?p=abc');
        await expect(element).toBeAccessible();
        find(element, '.dismiss-copy').click();
        await flushPromises();
        expect(findAll(element, '.copy-fallback')).toHaveLength(0);
    });

    it('offers Retry only for failed rows and Copy link only for links', async () => {
        getInvitationsMock.mockResolvedValue(PAGE_1);
        const element = await render();
        const actionColumn = table(element).columns.find((c) => c.type === 'action')!;
        const rowActions = actionColumn.typeAttributes!.rowActions as (
            row: unknown,
            done: (actions: { name: string }[]) => void
        ) => void;
        const done = jest.fn();
        rowActions(PAGE_1.rows[1], done);
        expect(done).toHaveBeenCalledWith([{ label: 'c.TP_Status_Retry', name: 'retry' }]);

        expect(rowActionsFor({ canRetry: false, link: 'https://x' }).map((a) => a.name)).toEqual([
            'copy_link'
        ]);
        expect(rowActionsFor({ canRetry: false, link: null })).toEqual([
            { label: 'c.TP_Status_No_Actions', name: 'none', disabled: true }
        ]);
        // An action name the component does not know changes nothing.
        rowAction(element, 'none', PAGE_1.rows[0]);
        await flushPromises();
        expect(retryMock).not.toHaveBeenCalled();
    });
});
