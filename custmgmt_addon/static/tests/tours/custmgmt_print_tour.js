/** Printing from the customer form and from the customer list: the Print menu
 * offers the card and the register, and both render (HTML) with the customer. */
import { registry } from "@web/core/registry";

async function checkReport(url, expected) {
    const response = await fetch(url);
    const html = await response.text();
    for (const text of expected) {
        if (response.status !== 200 || !html.includes(text)) {
            throw new Error(`${url} (${response.status}) does not show "${text}"`);
        }
    }
}

function openPrintMenu() {
    return [
        { content: "open the actions menu", trigger: ".o_cp_action_menus button:has(.fa-cog)", run: "click" },
        { content: "open the print menu", trigger: ".o-dropdown--menu button:has(.fa-print)", run: "click" },
    ];
}

registry.category("web_tour.tours").add("custmgmt_print_card_tour", {
    steps: () => [
        { content: "the customer form is open", trigger: ".o_form_view .o_field_widget[name='name']" },
        ...openPrintMenu(),
        { content: "the card is offered", trigger: ".o-dropdown--menu .o_menu_item:contains('Customer Management Card')" },
        { content: "the register is offered", trigger: ".o-dropdown--menu .o_menu_item:contains('Customer Register')" },
        {
            content: "the card renders",
            trigger: ".o_form_view",
            async run() {
                const id = odoo.__WOWL_DEBUG__.root.env.services.action.currentController.props.resId;
                await checkReport(`/report/html/custmgmt_addon.report_customer_card/${id}`,
                    ["Anshan Iron Casting", "Customer Management Card", "Li Na", "Rival Metals"]);
                await checkReport(`/report/html/custmgmt_addon.report_customer_register/${id}`,
                    ["Customer Register", "Anshan Iron Casting"]);
            },
        },
    ],
});

registry.category("web_tour.tours").add("custmgmt_print_register_tour", {
    steps: () => [
        { content: "the customer list", trigger: ".o_list_view .o_data_row:contains('Anshan Iron Casting')" },
        { content: "select all", trigger: ".o_list_view thead .o_list_record_selector input", run: "click" },
        { content: "open the print menu of the selection", trigger: ".o_cp_action_menus button:has(.fa-print)", run: "click" },
        { content: "the register is offered", trigger: ".o-dropdown--menu .o_menu_item:contains('Customer Register')" },
        {
            content: "the register of the selection renders, in route order",
            trigger: ".o_list_view",
            async run() {
                const ids = await odoo.__WOWL_DEBUG__.root.env.services.orm.search("res.partner", [
                    ["name", "in", ["Anshan Iron Casting", "Baotou Rare Metals"]],
                ]);
                const response = await fetch(`/report/html/custmgmt_addon.report_customer_register/${ids.join(",")}`);
                const html = await response.text();
                const first = html.indexOf("Anshan Iron Casting");
                const second = html.indexOf("Baotou Rare Metals");
                if (first < 0 || second < first) {
                    throw new Error("the register does not list the route in order");
                }
            },
        },
    ],
});
