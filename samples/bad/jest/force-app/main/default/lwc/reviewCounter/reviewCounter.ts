// Known-bad sample for gate:jest: most of this component is never exercised by its test, and the
// test expects a wrong result, so the gate fails on both the test and the 90 % line threshold.
import { LightningElement, api } from 'lwc';

export default class ReviewCounter extends LightningElement {
    @api reviews: { stars: number }[] = [];

    get count(): number {
        return this.reviews.length;
    }

    get average(): number {
        if (this.reviews.length === 0) {
            return 0;
        }
        let total = 0;
        for (const review of this.reviews) {
            total += review.stars;
        }
        return total / this.reviews.length;
    }

    get summary(): string {
        const average = this.average;
        if (average >= 4) {
            return 'great';
        }
        if (average >= 3) {
            return 'good';
        }
        return 'poor';
    }
}
