/** A complaint moved across the kanban: the stage guards refuse a resolution
 * without root cause (the card goes back), and the move to In Progress holds. */
import { registry } from "@web/core/registry";

const column = (title) => `.o_kanban_group:has(.o_column_title:contains('${title}'))`;

registry.category("web_tour.tours").add("custmgmt_complaint_kanban_tour", {
    steps: () => [
        { content: "the complaint desk by stage", trigger: `${column("New")} .o_kanban_record:contains('Kanban crates')` },
        {
            content: "drag the complaint to Resolved",
            trigger: `${column("New")} .o_kanban_record:contains('Kanban crates')`,
            run: `drag_and_drop (${column("Resolved")})`,
        },
        { content: "the guard refuses it", trigger: ".modal:contains('Record the root cause before resolving')" },
        { content: "close the message", trigger: ".modal .modal-footer .btn-primary", run: "click" },
        { content: "the card is back in New", trigger: `${column("New")} .o_kanban_record:contains('Kanban crates')` },
        {
            content: "drag the complaint to In Progress",
            trigger: `${column("New")} .o_kanban_record:contains('Kanban crates')`,
            run: `drag_and_drop (${column("In Progress")})`,
        },
        { content: "it is in progress", trigger: `${column("In Progress")} .o_kanban_record:contains('Kanban crates')` },
        { content: "and no longer new", trigger: `${column("New")}:not(:has(.o_kanban_record:contains('Kanban crates')))` },
    ],
});

registry.category("web_tour.tours").add("custmgmt_complaint_form_tour", {
    steps: () => [
        { content: "the complaint form shows its product", trigger: ".o_form_view .o_field_widget[name='product_id']" },
        { content: "and its order", trigger: ".o_form_view .o_field_widget[name='sale_order_id']" },
    ],
});
