import { LightningElement, api } from 'lwc';
import STARS_ASSISTIVE_TEXT from '@salesforce/label/c.TP_Star_Rating_Assistive_Text';
import { formatLabel } from 'c/tpUtils';

/** Trustpilot shows ratings on a five-star scale, in half-star steps for TrustScore averages. */
export const MAX_STARS = 5;

export type StarFill = 'full' | 'half' | 'empty';

export interface Star {
    key: string;
    fill: StarFill;
    className: string;
}

/** Rounds to the nearest half star and keeps the result within 0..5; anything not a number is 0. */
export function normalizeRating(value: unknown): number {
    const numeric = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof numeric !== 'number' || !Number.isFinite(numeric)) {
        return 0;
    }
    const halves = Math.round(numeric * 2) / 2;
    return Math.min(MAX_STARS, Math.max(0, halves));
}

/**
 * Read-only star rating: five stars (full, half or empty) coloured by Trustpilot's rating bands.
 * Screen readers get one text ("4.5 out of 5 stars") instead of five images.
 */
export default class StarRating extends LightningElement {
    /** The rating (1-5, halves allowed); null or missing shows no filled star. */
    @api value: number | string | null | undefined;

    /** `small` for table rows, `medium` for headers. */
    @api size: 'small' | 'medium' = 'small';

    get rating(): number {
        return normalizeRating(this.value);
    }

    get stars(): Star[] {
        const rating = this.rating;
        const band = Math.max(1, Math.ceil(rating));
        const stars: Star[] = [];
        for (let position = 1; position <= MAX_STARS; position++) {
            let fill: StarFill = 'empty';
            if (rating >= position) {
                fill = 'full';
            } else if (rating >= position - 0.5) {
                fill = 'half';
            }
            const classes = ['star', `star_${fill}`];
            if (fill !== 'empty') {
                classes.push(`star_band-${band}`);
            }
            stars.push({ key: `star-${position}`, fill, className: classes.join(' ') });
        }
        return stars;
    }

    get containerClass(): string {
        return this.size === 'medium' ? 'rating rating_medium' : 'rating rating_small';
    }

    get assistiveText(): string {
        return formatLabel(STARS_ASSISTIVE_TEXT, this.rating, MAX_STARS);
    }
}
