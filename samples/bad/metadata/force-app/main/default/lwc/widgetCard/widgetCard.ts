// Known-bad sample for gate:metadata: one label that exists, one that does not, a schema field that
// does not exist, and no widgetCard.js-meta.xml in the bundle.
import { LightningElement } from 'lwc';
import TITLE from '@salesforce/label/c.TP_Widget_Title';
import SUBTITLE from '@salesforce/label/c.TP_Widget_Subtitle';
import WEIGHT_FIELD from '@salesforce/schema/Widget__c.Weight__c';

export default class WidgetCard extends LightningElement {
    labels = { title: TITLE, subtitle: SUBTITLE };
    field = WEIGHT_FIELD;
}
