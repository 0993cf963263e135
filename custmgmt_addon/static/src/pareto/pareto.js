/** @odoo-module **/

import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

// the tier colours of the overview and the tier register's badges
const TIER_COLORS = { a: "#28a745", b: "#17a2b8", c: "#adb5bd" };
const OTHERS_COLOR = "#dee2e6";

/**
 * Pareto analysis (seed 001 图2-2): the tiered customers of the current
 * company sorted by monthly average, one bar each coloured by tier, the
 * cumulative share as a line and the policy's A and B cut lines; for the
 * company, a salesperson or a sales team. Drawn with the Chart.js bundle the
 * web client's graph view loads.
 */
export class CustmgmtPareto extends Component {
    static template = "custmgmt_addon.Pareto";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.canvasRef = useRef("canvas");
        this.chart = null;
        this.state = useState({ data: null });
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        useEffect(
            () => this.renderChart(),
            () => [this.state.data]
        );
        onWillUnmount(() => this.chart && this.chart.destroy());
    }

    async load(scope = false, resId = false) {
        this.state.data = await this.orm.call("custmgmt.pareto", "get_pareto", [], {
            scope,
            res_id: resId,
        });
    }

    get texts() {
        return {
            view: _t("Customers of"),
            company: _t("The whole company"),
            salesperson: _t("Salespeople"),
            team: _t("Sales team"),
            customers: _t("customers"),
            computed: _t("Tiers computed on"),
            empty: _t("No tiered customer in this selection."),
            hint: _t("Click a bar to open the customer."),
            tier: _t("Customer tier"),
            rank: _t("Rank in the company"),
            average: _t("Monthly average"),
            share: _t("Share of sales"),
            cumulative: _t("Cumulative share"),
        };
    }

    get selection() {
        const data = this.state.data;
        return data.scope === "company" ? "company" : `${data.scope}:${data.res_id}`;
    }

    onSelect(ev) {
        const [scope, resId] = ev.target.value.split(":");
        this.load(scope, resId ? parseInt(resId) : false);
    }

    money(value) {
        const data = this.state.data;
        return `${value.toLocaleString(undefined, { maximumFractionDigits: 0 })} ${data.currency}`;
    }

    chartConfig() {
        const { points, policy, tiers } = this.state.data;
        const names = points.map((p) => p.name);
        const cut = (value) => points.map(() => value);
        const pareto = policy.method === "pareto";
        const cutLine = (label, value, color, axis) => ({
            type: "line",
            label,
            data: cut(value),
            yAxisID: axis,
            borderColor: color,
            backgroundColor: color,
            borderDash: [6, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            pointHitRadius: 0,
            fill: false,
            order: 0,
        });
        const datasets = [
            {
                type: "bar",
                label: _t("Monthly average"),
                data: points.map((p) => p.average),
                backgroundColor: points.map((p) => (p.id ? TIER_COLORS[p.tier] : OTHERS_COLOR)),
                yAxisID: "y",
                order: 2,
            },
            {
                type: "line",
                label: _t("Cumulative share"),
                data: points.map((p) => p.cumulative),
                yAxisID: "y1",
                borderColor: "#343a40",
                backgroundColor: "#343a40",
                borderWidth: 2,
                pointRadius: points.length > 60 ? 0 : 2,
                tension: 0,
                fill: false,
                order: 1,
            },
        ];
        if (pareto) {
            datasets.push(
                cutLine(_t("A cut: %s%", policy.a_share), policy.a_share, TIER_COLORS.a, "y1"),
                cutLine(_t("B cut: %s%", policy.b_share), policy.b_share, TIER_COLORS.b, "y1")
            );
        } else {
            datasets.push(
                cutLine(_t("A cut: %s", this.money(policy.a_amount)), policy.a_amount, TIER_COLORS.a, "y"),
                cutLine(_t("B cut: %s", this.money(policy.b_amount)), policy.b_amount, TIER_COLORS.b, "y")
            );
        }
        return {
            type: "bar",
            data: { labels: names, datasets },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                onClick: (ev, elements) => this.onClick(elements),
                onHover: (ev, elements) => {
                    ev.native.target.style.cursor = elements.length ? "pointer" : "default";
                },
                plugins: {
                    // the bars' colours are the tiers, named above the chart
                    legend: { position: "top", labels: { filter: (item) => item.datasetIndex !== 0 } },
                    tooltip: {
                        filter: (item) => item.datasetIndex === 0,
                        callbacks: {
                            title: (items) => points[items[0].dataIndex].name,
                            label: (item) => {
                                const p = points[item.dataIndex];
                                const texts = this.texts;
                                const lines = [];
                                if (p.id) {
                                    lines.push(`${texts.tier}: ${tiers[p.tier]}`);
                                    if (p.rank) {
                                        lines.push(`${texts.rank}: ${p.rank}`);
                                    }
                                } else {
                                    lines.push(`${p.count} ${this.texts.customers}`);
                                }
                                lines.push(`${texts.average}: ${p.display}`);
                                lines.push(`${texts.share}: ${p.share.toFixed(2)}%`);
                                lines.push(`${texts.cumulative}: ${p.cumulative.toFixed(2)}%`);
                                return lines;
                            },
                        },
                    },
                },
                scales: {
                    x: {
                        ticks: {
                            autoSkip: true,
                            maxRotation: 60,
                            callback: (value, index) => {
                                const name = names[index] || "";
                                return name.length > 18 ? name.slice(0, 17) + "…" : name;
                            },
                        },
                    },
                    y: {
                        beginAtZero: true,
                        title: { display: true, text: `${this.texts.average} (${this.state.data.currency})` },
                    },
                    y1: {
                        position: "right",
                        min: 0,
                        max: 100,
                        grid: { drawOnChartArea: false },
                        ticks: { callback: (value) => `${value}%` },
                        title: { display: true, text: _t("Cumulative share") },
                    },
                },
            },
        };
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
        if (this.canvasRef.el && this.state.data && this.state.data.points.length) {
            this.chart = new Chart(this.canvasRef.el, this.chartConfig());
        }
    }

    onClick(elements) {
        const bar = elements.find((element) => element.datasetIndex === 0) || elements[0];
        if (!bar) {
            return;
        }
        const point = this.state.data.points[bar.index];
        if (point.id) {
            this.openCustomer(point.id);
        } else {
            this.actionService.doAction("custmgmt_addon.custmgmt_tier_register_action");
        }
    }

    openCustomer(partnerId) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("actions").add("custmgmt_pareto", CustmgmtPareto);
