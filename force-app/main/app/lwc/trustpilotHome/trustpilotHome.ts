import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getHomeData from '@salesforce/apex/HomeController.getHomeData';
import { errorText, formatCount, formatLabel } from 'c/tpUtils';

import TITLE from '@salesforce/label/c.TP_Home_Title';
import LOADING from '@salesforce/label/c.TP_Common_Loading';
import LOAD_ERROR from '@salesforce/label/c.TP_Common_Load_Error';
import BUSINESS_UNIT from '@salesforce/label/c.TP_Common_Business_Unit';
import NOT_CONNECTED from '@salesforce/label/c.TP_Home_Not_Connected';
import TRUSTSCORE from '@salesforce/label/c.TP_Home_TrustScore';
import TOTAL_REVIEWS from '@salesforce/label/c.TP_Home_Total_Reviews';
import TOTAL_REVIEWS_ONE from '@salesforce/label/c.TP_Home_Total_Reviews_One';
import NO_SCORE from '@salesforce/label/c.TP_Home_No_Score';
import NEW_SERVICE from '@salesforce/label/c.TP_Home_New_Service_Reviews';
import NEW_PRODUCT from '@salesforce/label/c.TP_Home_New_Product_Reviews';
import QUEUED from '@salesforce/label/c.TP_Home_Invitations_Queued';
import DELIVERED from '@salesforce/label/c.TP_Home_Invitations_Delivered';
import AWAITING from '@salesforce/label/c.TP_Home_Awaiting_Reply';
import LAST_30_DAYS from '@salesforce/label/c.TP_Home_Last_30_Days';
import RECENT_SERVICE from '@salesforce/label/c.TP_Home_Recent_Service_Reviews';
import RECENT_PRODUCT from '@salesforce/label/c.TP_Home_Recent_Product_Reviews';
import RECENT_INVITATIONS from '@salesforce/label/c.TP_Home_Recent_Invitations';
import NO_SERVICE_REVIEWS from '@salesforce/label/c.TP_Home_No_Service_Reviews';
import NO_PRODUCT_REVIEWS from '@salesforce/label/c.TP_Home_No_Product_Reviews';
import NO_INVITATIONS from '@salesforce/label/c.TP_Home_No_Invitations';
import COL_RATING from '@salesforce/label/c.TP_Column_Rating';
import COL_TITLE from '@salesforce/label/c.TP_Column_Title';
import COL_CONSUMER from '@salesforce/label/c.TP_Column_Consumer';
import COL_DATE from '@salesforce/label/c.TP_Column_Date';
import COL_REPLY_STATUS from '@salesforce/label/c.TP_Column_Reply_Status';
import COL_PRODUCT from '@salesforce/label/c.TP_Column_Product';
import COL_INVITATION from '@salesforce/label/c.TP_Column_Invitation';
import COL_RECIPIENT from '@salesforce/label/c.TP_Column_Recipient';
import COL_SOURCE from '@salesforce/label/c.TP_Column_Source';
import COL_STATUS from '@salesforce/label/c.TP_Column_Status';
import REPLY from '@salesforce/label/c.TP_Home_Reply';
import REPLY_TO from '@salesforce/label/c.TP_Home_Reply_To';
import UNTITLED from '@salesforce/label/c.TP_Panel_Untitled_Review';
import OPEN_PROFILE from '@salesforce/label/c.TP_Home_Open_Profile';

/** One business unit as HomeController.BusinessUnitDto returns it. */
export interface BusinessUnit {
    id: string;
    name: string;
    trustScore: number | null;
    stars: number | null;
    reviewCount: number | null;
    isDefault: boolean;
    profileUrl: string | null;
}

/** One review row (HomeController.ReviewRowDto). */
export interface ReviewRow {
    id: string;
    title: string | null;
    stars: number | null;
    consumerName: string | null;
    createdAt: string | null;
    replyStatus: string | null;
    productName: string | null;
}

/** One invitation row (HomeController.InvitationRowDto). */
export interface InvitationRow {
    id: string;
    name: string;
    recipientName: string | null;
    sourceObject: string | null;
    status: string;
    createdDate: string | null;
}

/** HomeController.HomeDto: everything the page shows, in one round trip. */
export interface HomeData {
    connected: boolean;
    businessUnitId: string | null;
    businessUnits: BusinessUnit[];
    newServiceReviews: number;
    newProductReviews: number;
    invitationsQueued: number;
    invitationsDelivered: number;
    countCap?: number;
    awaitingReply: number;
    recentServiceReviews: ReviewRow[];
    recentProductReviews: ReviewRow[];
    recentInvitations: InvitationRow[];
}

interface WireResult<T> {
    data?: T;
    error?: unknown;
}

interface Kpi {
    key: string;
    label: string;
    value: string;
    hint: string;
}

/** A counter the server stopped at its cap reads "cap+" (at least that many). */
function counterText(value: number, cap: number | undefined): string {
    return cap !== undefined && value >= cap ? `${cap}+` : String(value);
}

interface ReviewView extends ReviewRow {
    awaiting: boolean;
    replyAriaLabel: string;
    displayTitle: string;
}

interface ReviewSection {
    key: string;
    className: string;
    heading: string;
    emptyText: string;
    showProduct: boolean;
    rows: ReviewView[];
    hasRows: boolean;
}

const STATUS_CLASS: Record<string, string> = {
    Pending: 'slds-badge',
    Sent: 'slds-badge slds-theme_success',
    'Link created': 'slds-badge slds-theme_success',
    Skipped: 'slds-badge slds-theme_warning',
    Failed: 'slds-badge slds-theme_error'
};

/**
 * Trustpilot Home: TrustScore of the chosen business unit, the counters, and the recent reviews and
 * invitations. One Apex call (HomeController.getHomeData) per business unit.
 */
export default class TrustpilotHome extends NavigationMixin(LightningElement) {
    labels = {
        title: TITLE,
        loading: LOADING,
        businessUnit: BUSINESS_UNIT,
        notConnected: NOT_CONNECTED,
        trustScore: TRUSTSCORE,
        noScore: NO_SCORE,
        recentInvitations: RECENT_INVITATIONS,
        noInvitations: NO_INVITATIONS,
        colRating: COL_RATING,
        colTitle: COL_TITLE,
        colConsumer: COL_CONSUMER,
        colDate: COL_DATE,
        colReplyStatus: COL_REPLY_STATUS,
        colProduct: COL_PRODUCT,
        colInvitation: COL_INVITATION,
        colRecipient: COL_RECIPIENT,
        colSource: COL_SOURCE,
        colStatus: COL_STATUS,
        reply: REPLY,
        openProfile: OPEN_PROFILE
    };

    /**
     * The business unit the user picked; null = the server's default. Null, not undefined: a wire does
     * not provision while one of its reactive parameters is undefined.
     */
    selectedBusinessUnitId: string | null = null;

    home: HomeData | undefined;
    error: unknown;
    loaded = false;

    @wire(getHomeData, { businessUnitId: '$selectedBusinessUnitId' })
    wiredHome(result: WireResult<HomeData>): void {
        if (result.data) {
            this.home = result.data;
            this.error = undefined;
            this.loaded = true;
        } else if (result.error) {
            this.home = undefined;
            this.error = result.error;
            this.loaded = true;
        }
    }

    get isLoading(): boolean {
        return !this.loaded;
    }

    get errorMessage(): string | undefined {
        return this.error ? errorText(this.error, LOAD_ERROR) : undefined;
    }

    get connectedToTrustpilot(): boolean {
        return this.home?.connected === true;
    }

    get showNotConnected(): boolean {
        return this.home !== undefined && !this.home.connected;
    }

    get businessUnitOptions(): { label: string; value: string }[] {
        return (this.home?.businessUnits ?? []).map((bu) => ({ label: bu.name, value: bu.id }));
    }

    get hasSeveralBusinessUnits(): boolean {
        return (this.home?.businessUnits.length ?? 0) > 1;
    }

    get currentBusinessUnit(): BusinessUnit | undefined {
        const units = this.home?.businessUnits ?? [];
        return units.find((bu) => bu.id === this.home?.businessUnitId) ?? units[0];
    }

    get currentBusinessUnitId(): string | undefined {
        return this.currentBusinessUnit?.id;
    }

    get trustScore(): number | null {
        return this.currentBusinessUnit?.trustScore ?? null;
    }

    get currentStars(): number | null {
        return this.currentBusinessUnit?.stars ?? null;
    }

    /** The profile link, only when it is an absolute https link (never `javascript:` or `data:`). */
    get profileUrl(): string | null {
        const url = this.currentBusinessUnit?.profileUrl?.trim();
        return url?.toLowerCase().startsWith('https://') ? url : null;
    }

    get hasTrustScore(): boolean {
        return this.trustScore !== null;
    }

    get totalReviewsText(): string {
        return formatCount(this.currentBusinessUnit?.reviewCount ?? 0, TOTAL_REVIEWS_ONE, TOTAL_REVIEWS);
    }

    get kpis(): Kpi[] {
        const home = this.home;
        if (!home) {
            return [];
        }
        return [
            {
                key: 'newService',
                label: NEW_SERVICE,
                value: counterText(home.newServiceReviews, home.countCap),
                hint: LAST_30_DAYS
            },
            {
                key: 'newProduct',
                label: NEW_PRODUCT,
                value: counterText(home.newProductReviews, home.countCap),
                hint: LAST_30_DAYS
            },
            {
                key: 'queued',
                label: QUEUED,
                value: counterText(home.invitationsQueued, home.countCap),
                hint: ''
            },
            {
                key: 'delivered',
                label: DELIVERED,
                value: counterText(home.invitationsDelivered, home.countCap),
                hint: ''
            },
            {
                key: 'awaiting',
                label: AWAITING,
                value: counterText(home.awaitingReply, home.countCap),
                hint: ''
            }
        ];
    }

    /** The two review tables: service reviews, then product reviews (with the product column). */
    get reviewSections(): ReviewSection[] {
        const service = this.toReviewViews(this.home?.recentServiceReviews ?? []);
        const product = this.toReviewViews(this.home?.recentProductReviews ?? []);
        return [
            {
                key: 'service',
                className: 'slds-var-m-bottom_medium service-reviews',
                heading: RECENT_SERVICE,
                emptyText: NO_SERVICE_REVIEWS,
                showProduct: false,
                rows: service,
                hasRows: service.length > 0
            },
            {
                key: 'product',
                className: 'slds-var-m-bottom_medium product-reviews',
                heading: RECENT_PRODUCT,
                emptyText: NO_PRODUCT_REVIEWS,
                showProduct: true,
                rows: product,
                hasRows: product.length > 0
            }
        ];
    }

    get invitations(): (InvitationRow & { badgeClass: string })[] {
        return (this.home?.recentInvitations ?? []).map((inv) => ({
            ...inv,
            badgeClass: STATUS_CLASS[inv.status] ?? 'slds-badge'
        }));
    }

    get hasInvitations(): boolean {
        return this.invitations.length > 0;
    }

    private toReviewViews(rows: ReviewRow[]): ReviewView[] {
        return rows.map((row) => {
            const displayTitle = row.title || UNTITLED;
            return {
                ...row,
                displayTitle,
                awaiting: row.replyStatus !== 'Replied',
                replyAriaLabel: formatLabel(REPLY_TO, displayTitle)
            };
        });
    }

    handleBusinessUnitChange(event: CustomEvent<{ value: string }>): void {
        this.selectedBusinessUnitId = event.detail.value;
    }

    /** Reply: opens the review's record page, whose bottom holds the reply component. */
    handleReply(event: Event): void {
        const recordId = (event.currentTarget as HTMLElement).dataset.id;
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: { recordId, objectApiName: 'Review__c', actionName: 'view' }
        });
    }

    /** Opens an invitation's record page. */
    handleOpenInvitation(event: Event): void {
        event.preventDefault();
        const recordId = (event.currentTarget as HTMLElement).dataset.id;
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: { recordId, objectApiName: 'Invitation__c', actionName: 'view' }
        });
    }
}
