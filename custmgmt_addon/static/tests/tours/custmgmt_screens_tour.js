/** Every screen of the addon renders without a console error: each action is
 * opened through the action service, then its view (or dialog) is awaited. */
import { registry } from "@web/core/registry";

const SCREENS = [
    ["custmgmt_addon.custmgmt_customer_action", {}, ".o_kanban_view"],
    ["custmgmt_addon.custmgmt_tier_action", {}, ".o_kanban_view"],
    ["custmgmt_addon.custmgmt_decision_member_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_competitor_line_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_tier_register_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_tier_history_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_partner_sales_month_action", {}, ".o_graph_view"],
    ["custmgmt_addon.custmgmt_tier_preview_wizard_action", {}, ".modal .o_field_widget[name='months']"],
    ["custmgmt_addon.custmgmt_complaint_action", {}, ".o_kanban_view"],
    ["custmgmt_addon.custmgmt_complaint_action", { viewType: "list" }, ".o_list_view"],
    ["custmgmt_addon.custmgmt_complaint_action", { viewType: "activity" }, ".o_activity_view"],
    ["custmgmt_addon.custmgmt_complaint_action", { viewType: "form" }, ".o_form_view .o_field_widget[name='category_id']"],
    ["custmgmt_addon.custmgmt_complaint_analysis_action", {}, ".o_graph_view"],
    ["custmgmt_addon.custmgmt_objection_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_dispute_action", { viewType: "form" }, ".o_form_view .o_field_widget[name='resolution_basis']"],
    ["custmgmt_addon.custmgmt_department_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_credit_exception_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_credit_exception_action", { viewType: "activity" }, ".o_activity_view"],
    ["custmgmt_addon.custmgmt_credit_review_action", { viewType: "form" }, ".o_form_view .o_field_widget[name='requested_limit']"],
    ["custmgmt_addon.custmgmt_receivable_aging_action", {}, ".o_pivot_view"],
    ["custmgmt_addon.custmgmt_overdue_list_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_payment_behaviour_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_credit_policy_wizard_action", {}, ".modal .o_field_widget[name='hold_overdue_days']"],
    ["custmgmt_addon.custmgmt_credit_exception_log_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_visit_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_visit_action", { viewType: "kanban" }, ".o_kanban_view"],
    ["custmgmt_addon.custmgmt_visit_action", { viewType: "activity" }, ".o_activity_view"],
    ["custmgmt_addon.custmgmt_visit_action", { viewType: "form" }, ".o_form_view .o_field_widget[name='purpose_ids']"],
    ["custmgmt_addon.custmgmt_visit_today_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_visit_calendar_action", {}, ".o_calendar_view"],
    ["custmgmt_addon.custmgmt_visit_purpose_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_survey_plan_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_survey_answer_action", {}, ".o_list_view"],
    ["custmgmt_addon.custmgmt_visit_analysis_action", {}, ".o_graph_view"],
    ["custmgmt_addon.custmgmt_visit_analysis_action", { viewType: "pivot" }, ".o_pivot_view"],
    ["custmgmt_addon.custmgmt_satisfaction_analysis_action", {}, ".o_graph_view"],
    ["base_setup.action_general_configuration", {}, "[name='custmgmt_tier_method']", ".settings_tab .tab[data-key='custmgmt_addon']"],
    ["base_setup.action_general_configuration", {}, "[name='custmgmt_visit_days_a']", ".settings_tab .tab[data-key='custmgmt_addon']"],
    // last: leaving a new quotation would try to save it
    ["sale.action_quotations_with_onboarding", { viewType: "form" }, ".o_form_view .o_field_widget[name='partner_id']"],
];

registry.category("web_tour.tours").add("custmgmt_screens_tour", {
    steps: () =>
        SCREENS.flatMap(([action, options, selector, tab], index) => [
            {
                content: `open ${action} ${options.viewType || ""}`,
                trigger: index ? "body" : ".o_action_manager",
                async run() {
                    document.querySelector(".modal .btn-close")?.click();
                    await odoo.__WOWL_DEBUG__.root.env.services.action.doAction(action, options);
                },
            },
            ...(tab ? [{ content: `open the ${tab} tab`, trigger: tab, run: "click" }] : []),
            { content: `${action} shows ${selector}`, trigger: selector },
        ]),
});
