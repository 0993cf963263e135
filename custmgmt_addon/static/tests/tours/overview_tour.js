/** @odoo-module **/

import { registry } from "@web/core/registry";

// These tours rely on the data made by tests/test_overview_tour.py.

const OVERVIEW = "/odoo/action-custmgmt_addon.custmgmt_overview_action";

function backToOverview() {
    return [
        {
            content: "back to the overview by the breadcrumb",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        { trigger: ".o_custmgmt_overview .o_custmgmt_tile[data-key='tiers']" },
    ];
}

registry.category("web_tour.tours").add("custmgmt_overview_salesperson", {
    url: OVERVIEW,
    steps: () => [
        {
            content: "a salesperson sees their own customers",
            trigger: ".o_custmgmt_overview .o_custmgmt_scope[data-scope='own']",
        },
        {
            content: "two own A customers, not the colleague's",
            trigger: ".o_custmgmt_tile[data-key='tiers'] .o_custmgmt_line[data-tier='a'] .o_custmgmt_value:contains(/^2$/)",
            run: "click",
        },
        {
            content: "the tier register lists them",
            trigger: ".o_list_view .o_data_row:contains('Tour Own Alpha')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Other Gamma')))",
        },
        ...backToOverview(),
        {
            content: "open the complaints past their deadline",
            trigger: ".o_custmgmt_tile[data-key='complaints'] .o_custmgmt_alert",
            run: "click",
        },
        {
            content: "the late complaint of an own customer",
            trigger: ".o_list_view .o_data_row:contains('Tour late complaint')",
        },
    ],
});

registry.category("web_tour.tours").add("custmgmt_overview_manager", {
    url: OVERVIEW,
    steps: () => [
        {
            content: "a Manager sees all customers",
            trigger: ".o_custmgmt_overview .o_custmgmt_scope[data-scope='all']",
        },
        {
            content: "three A customers in all",
            trigger: ".o_custmgmt_tile[data-key='tiers'] .o_custmgmt_line[data-tier='a'] .o_custmgmt_value:contains(/^3$/)",
        },
        {
            content: "open the visits due this week",
            trigger: ".o_custmgmt_tile[data-key='visits'] .o_custmgmt_line:first-child .o_custmgmt_value",
            run: "click",
        },
        {
            content: "the planned visit of the colleague's customer is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Other Gamma')",
        },
        ...backToOverview(),
        {
            content: "open the overdue customers of the long & large quadrant",
            trigger: ".o_custmgmt_tile[data-key='overdue'] .o_custmgmt_line[data-quadrant='long_large'] .o_custmgmt_value",
            run: "click",
        },
        {
            content: "the overdue invoice of that customer",
            trigger: ".o_list_view .o_data_row:contains('Tour Own Alpha')",
        },
    ],
});

/** The chart and the screen position of the first bar (the top customer). */
function firstBar() {
    const canvas = document.querySelector(".o_custmgmt_pareto_chart canvas");
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart) {
        throw new Error("the Pareto chart is not drawn");
    }
    const bar = chart.getDatasetMeta(0).data[0];
    const rect = canvas.getBoundingClientRect();
    const y = Math.min(bar.y, bar.base) + Math.abs(bar.base - bar.y) / 2;
    return { canvas, chart, clientX: rect.left + bar.x, clientY: rect.top + y };
}

function fire(type) {
    const { canvas, clientX, clientY } = firstBar();
    canvas.dispatchEvent(new MouseEvent(type, { clientX, clientY, bubbles: true }));
}

registry.category("web_tour.tours").add("custmgmt_pareto", {
    url: "/odoo/action-custmgmt_addon.custmgmt_pareto_action",
    steps: () => [
        {
            content: "the chart counts the company's tiered customers",
            trigger: ".o_custmgmt_pareto .o_custmgmt_pareto_count:contains(/^3 /)",
        },
        {
            content: "bars coloured by tier, the cumulative share and the two cut lines",
            trigger: ".o_custmgmt_pareto_chart canvas",
            run: () => {
                const { chart } = firstBar();
                const labels = chart.data.labels;
                if (labels[0] !== "Tour Own Alpha" || chart.data.datasets.length !== 4) {
                    throw new Error(`unexpected chart: ${labels.join(", ")}`);
                }
                const cumulative = chart.data.datasets[1].data;
                if (cumulative[cumulative.length - 1] !== 100) {
                    throw new Error("the cumulative share does not reach 100%");
                }
                fire("mousemove");
            },
        },
        {
            content: "hovering the first bar names the customer",
            trigger: ".o_custmgmt_pareto_chart canvas",
            run: () => {
                const { chart } = firstBar();
                if (!chart.tooltip.title || chart.tooltip.title[0] !== "Tour Own Alpha") {
                    throw new Error("the tooltip does not name the customer");
                }
                fire("click");
            },
        },
        {
            content: "clicking the bar opened the customer",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(Tour Own Alpha)",
        },
    ],
});
