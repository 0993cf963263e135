/** @odoo-module **/

import { Component, markup, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The app's overview: one call to custmgmt.overview.get_overview, one card
 * per tile, each figure opening the list it counts.
 */
export class CustmgmtOverview extends Component {
    static template = "custmgmt_addon.Overview";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, loading: true });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("custmgmt.overview", "get_overview", []);
        this.state.loading = false;
    }

    get texts() {
        return {
            refresh: _t("Refresh"),
            scope: _t("Scope"),
            companies: _t("Companies selected"),
            noData: _t("Nothing to show."),
            openList: _t("Open the list"),
            noAnswer: _t("No answer this month"),
            pareto: _t("Pareto Analysis"),
        };
    }

    open(action) {
        if (action) {
            // the help of an empty list is HTML made by the server
            this.actionService.doAction(action.help ? { ...action, help: markup(action.help) } : action);
        }
    }

    openPareto() {
        this.actionService.doAction("custmgmt_addon.custmgmt_pareto_action");
    }

    format(line) {
        if (line.display) {
            return line.display;
        }
        return line.value === null || line.value === undefined ? "–" : String(line.value);
    }

    /** Points of the satisfaction sparkline, scores 1 to 5 on a 240 x 60 box. */
    sparkline(series) {
        const step = 240 / Math.max(series.length - 1, 1);
        return series
            .map((point, index) => ({ ...point, x: Math.round(index * step), index }))
            .filter((point) => point.value !== null)
            .map((point) => ({ ...point, y: Math.round(56 - ((point.value - 1) / 4) * 52) }));
    }

    polyline(series) {
        return this.sparkline(series)
            .map((point) => `${point.x},${point.y}`)
            .join(" ");
    }

    pointTitle(point) {
        return point.value === null
            ? `${point.title}: ${this.texts.noAnswer}`
            : `${point.title}: ${point.value.toFixed(2)} (${point.count})`;
    }
}

registry.category("actions").add("custmgmt_overview", CustmgmtOverview);
