/** The customer form in a real browser: the archive pages for users of the addon, none for the others. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("custmgmt_archive_tour", {
    steps: () => [
        { content: "the customer form is open", trigger: ".o_form_view .o_field_widget[name='name']" },
        { content: "the archive page", trigger: ".o_notebook .nav-link[name='custmgmt_archive']", run: "click" },
        { content: "the relationship stage", trigger: ".o_field_widget[name='custmgmt_relationship_stage']:contains('Trust')" },
        { content: "the decision chain page", trigger: ".o_notebook .nav-link[name='custmgmt_decision']", run: "click" },
        { content: "its decision maker", trigger: ".o_field_widget[name='custmgmt_decision_member_ids'] .o_data_row:contains('Li Na')" },
        { content: "its competitor", trigger: ".o_field_widget[name='custmgmt_competitor_line_ids'] .o_data_row:contains('Rival Metals')" },
        { content: "the credit page", trigger: ".o_notebook .nav-link[name='custmgmt_credit_page']", run: "click" },
        { content: "its credit standing", trigger: ".o_field_widget[name='custmgmt_credit_standing']:contains('Watch')" },
        { content: "the service and complaints pages follow", trigger: ".o_notebook .nav-link[name='custmgmt_service_page'] ~ .nav-link[name='custmgmt_complaints'], .o_notebook .nav-item:has(.nav-link[name='custmgmt_service_page']) ~ .nav-item:has(.nav-link[name='custmgmt_complaints'])" },
        { content: "the visits button shows, not under More", trigger: ".o-form-buttonbox > .oe_stat_button[name='action_custmgmt_open_visits']" },
    ],
});

registry.category("web_tour.tours").add("custmgmt_archive_hidden_tour", {
    steps: () => [
        { content: "the customer form is open", trigger: ".o_form_view .o_field_widget[name='name']" },
        {
            content: "no archive page for a user outside the addon's groups",
            trigger: ".o_form_view:not(:has(.o_notebook .nav-link[name='custmgmt_archive']))",
        },
    ],
});

// "Add a line" under the decision chain and the competitors: for the customer's
// own salesperson, not for another one
const LINES = ["custmgmt_decision_member_ids", "custmgmt_competitor_line_ids"];

registry.category("web_tour.tours").add("custmgmt_add_lines_tour", {
    steps: () => [
        { content: "the customer form is open", trigger: ".o_form_view .o_field_widget[name='name']" },
        { content: "the decision chain page", trigger: ".o_notebook .nav-link[name='custmgmt_decision']", run: "click" },
        ...LINES.map((field) => ({
            content: `"Add a line" under ${field}`,
            trigger: `.o_field_widget[name='${field}'] .o_field_x2many_list_row_add`,
        })),
    ],
});

registry.category("web_tour.tours").add("custmgmt_no_add_lines_tour", {
    steps: () => [
        { content: "the customer form is open", trigger: ".o_form_view .o_field_widget[name='name']" },
        { content: "the decision chain page", trigger: ".o_notebook .nav-link[name='custmgmt_decision']", run: "click" },
        ...LINES.map((field) => ({
            content: `no "Add a line" under ${field}`,
            trigger: `.o_field_widget[name='${field}']:not(:has(.o_field_x2many_list_row_add))`,
        })),
    ],
});
