/** Two read-only formats the addon's lists need: a month as users write it
 * ("Nov 2026", "2026年11月") and a percentage stored in points (51.7 → "51.7 %"),
 * blank when there is no figure. */
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { DateTimeField, dateField } from "@web/views/fields/datetime/datetime_field";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

export class CustmgmtMonthField extends DateTimeField {
    getFormattedValue(valueIndex) {
        const value = this.values[valueIndex];
        if (!value || !this.props.readonly) {
            return super.getFormattedValue(valueIndex);
        }
        const locale = (user.lang || "en-US").replace("_", "-");
        return value.setLocale(locale).toLocaleString({ year: "numeric", month: "short" });
    }
}

export const custmgmtMonthField = {
    ...dateField,
    component: CustmgmtMonthField,
};

export class CustmgmtPercentField extends FloatField {
    get formattedValue() {
        if (this.props.readonly && !this.value) {
            return "";
        }
        const formatted = super.formattedValue;
        return this.props.readonly ? `${formatted} %` : formatted;
    }
}

export const custmgmtPercentField = {
    ...floatField,
    component: CustmgmtPercentField,
};

registry.category("fields").add("custmgmt_month", custmgmtMonthField);
registry.category("fields").add("custmgmt_percent", custmgmtPercentField);
