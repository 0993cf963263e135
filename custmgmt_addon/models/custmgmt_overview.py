from babel.dates import format_interval, format_skeleton
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, format_amount, format_date

from ..report.custmgmt_receivable_aging import QUADRANT_SELECTION
from ..rules import credit as credit_rules
from ..rules import overview as overview_rules
from ..rules import tiers as tier_rules
from .custmgmt_collection import overdue_item
from .custmgmt_complaint import OPEN_STATES
from .res_partner import FINANCE_GROUP, MANAGER_GROUP

# tier moves: (old tier, new tier) pairs, as rules.tiers.tier_direction reads them
MOVES = {
    'up': [('b', 'a'), ('c', 'a'), ('c', 'b')],
    'down': [('a', 'b'), ('a', 'c'), ('a', False), ('b', 'c'), ('b', False), ('c', False)],
}


class CustmgmtOverview(models.AbstractModel):
    """The app's overview (one call, :meth:`get_overview`); its Pareto chart
    is ``custmgmt.pareto``.

    Each tile is counted in the user's scope: a salesperson their customers
    (salesperson or archive owner), a sales team leader those of the team, a
    Manager or Finance all, in the companies selected in the switcher. The
    figures come from grouped queries whose number does not grow with the
    customers; each line carries the window action of the list it counts,
    whose records the user's access rules filter as they filter the counts."""
    _name = 'custmgmt.overview'
    _description = "Customer Management: overview"

    # ------------------------------------------------------------
    # SCOPE
    # ------------------------------------------------------------

    @api.model
    def _scope(self):
        """``(kind, partner_domain, user_ids)``: ``kind`` is ``'all'``,
        ``'team'`` or ``'own'``; ``partner_domain`` selects the customers in
        scope (empty for all): those the user sells to or owns, and for a
        team leader those whose salesperson is in a team they lead;
        ``user_ids`` the salespeople in scope."""
        user = self.env.user
        if user.has_group(MANAGER_GROUP) or user.has_group(FINANCE_GROUP):
            return 'all', [], []
        own = ['|', ('user_id', '=', user.id), ('custmgmt_archive_user_id', '=', user.id)]
        teams = self.env['crm.team'].sudo().search([('user_id', '=', user.id)])
        if not teams:
            return 'own', own, [user.id]
        members = (teams.crm_team_member_ids.user_id | user).ids
        return 'team', expression.OR([own, [('user_id', 'in', members)]]), members

    @api.model
    def _scope_sql(self, partner_domain, column):
        """SQL condition that ``column`` (a customer id) is in scope."""
        if not partner_domain:
            return SQL("TRUE")
        query = self.env['res.partner'].sudo().with_context(active_test=False)._search(partner_domain)
        return SQL("%s IN %s", column, query.subselect())

    @api.model
    def _in_scope(self, partner_domain, field='partner_id'):
        return [(field, 'any', partner_domain)] if partner_domain else []

    @api.model
    def _action(self, model, name, domain, views=('list', 'form'), context=None):
        return {
            'type': 'ir.actions.act_window', 'name': name, 'res_model': model, 'target': 'current',
            'domain': domain, 'views': [[False, view] for view in views], 'context': context or {},
            'help': Markup('<p class="o_view_nocontent_smiling_face">%s</p>') % _("Nothing here: all clear."),
        }

    @api.model
    def _readable(self, model):
        return model in self.env and self.env['ir.model.access'].check(model, 'read', raise_exception=False)

    # ------------------------------------------------------------
    # TILES
    # ------------------------------------------------------------

    @api.model
    def _tile_tiers(self, scope):
        """Customers per tier, and the moves up and down of the last recompute."""
        companies = self.env.companies
        for model in ('res.partner', 'custmgmt.tier.history'):
            self.env[model].flush_model()
        counts = dict.fromkeys(('a', 'b', 'c'), 0)
        for tier, count in self.env.execute_query(SQL(
            """
            SELECT partner.custmgmt_tier ->> company.id::text, COUNT(*)
              FROM res_partner partner
              JOIN res_company company ON partner.custmgmt_tier ? company.id::text
             WHERE company.id = ANY(%(companies)s)
               AND partner.custmgmt_tier ->> company.id::text IS NOT NULL AND %(scope)s
          GROUP BY 1
            """, companies=companies.ids, scope=self._scope_sql(scope[1], SQL("partner.id")))):
            counts[tier] = counts.get(tier, 0) + count
        last_runs = {company.id: company.custmgmt_tier_last_run_date for company in companies
                     if company.custmgmt_tier_last_run_date}
        rows = last_runs and self.env.execute_query(SQL(
            """
            SELECT history.old_tier, history.new_tier, COUNT(*)
              FROM custmgmt_tier_history history
              JOIN res_company company ON company.id = history.company_id
             WHERE history.company_id = ANY(%(companies)s) AND history.reason = 'recompute'
               AND history.date = company.custmgmt_tier_last_run_date AND %(scope)s
          GROUP BY 1, 2
            """, companies=list(last_runs), scope=self._scope_sql(scope[1], SQL("history.partner_id"))))
        moves = overview_rules.tier_moves(rows or [], tier_rules.tier_direction)
        partner_scope = self._in_scope(scope[1])
        company_domain = [('company_id', 'in', companies.ids)]
        labels = dict(self.env['res.partner']._fields['custmgmt_tier']._description_selection(self.env))
        lines = [{
            'label': labels[tier], 'value': counts[tier], 'tier': tier,
            'action': self._action('custmgmt.tier.register', labels[tier], expression.AND([
                [('customer_tier', '=', tier)], company_domain, partner_scope]), views=('list', 'pivot')),
        } for tier in ('a', 'b', 'c')]
        since = expression.OR([[('company_id', '=', cid), ('date', '=', fields.Date.to_string(day))]
                           for cid, day in last_runs.items()]) if last_runs else expression.FALSE_DOMAIN
        for direction, label in (('up', _("Moved up")), ('down', _("Moved down"))):
            pairs = expression.OR([[('old_tier', '=', old), ('new_tier', '=', new)] for old, new in MOVES[direction]])
            domain = expression.AND([[('reason', '=', 'recompute')], since, pairs, partner_scope])
            lines.append({
                'label': label, 'value': moves[direction], 'move': direction,
                'action': self._action('custmgmt.tier.history', label, list(domain)),
            })
        dates = sorted(set(last_runs.values()))
        subtitle = _("Moves of the recompute of %(date)s", date=format_date(self.env, dates[-1])) if dates \
            else _("Tiers not computed yet")
        return {'key': 'tiers', 'title': _("Customers by Tier"), 'subtitle': subtitle, 'lines': lines}

    @api.model
    def _tile_warnings(self, scope):
        """Open early warnings by kind and severity (when that feature is installed)."""
        Warning = self.env['custmgmt.warning']
        if not {'state', 'kind', 'severity', 'partner_id', 'company_id'} <= set(Warning._fields):
            return None
        base = expression.AND([[('state', 'in', ('open', 'acknowledged')), ('company_id', 'in', self.env.companies.ids)],
                           self._in_scope(scope[1])])
        groups = Warning._read_group(list(base), ['kind', 'severity'], ['__count'])
        kinds = dict(Warning._fields['kind']._description_selection(self.env))
        severities = dict(Warning._fields['severity']._description_selection(self.env))
        per_kind = {}
        for kind, severity, count in groups:
            per_kind.setdefault(kind, {})[severity] = count
        lines = []
        for kind, label in kinds.items():
            if kind not in per_kind:
                continue
            detail = ", ".join(f"{severities.get(sev, sev or '')} {count}" for sev, count in per_kind[kind].items())
            lines.append({
                'label': label, 'value': sum(per_kind[kind].values()), 'detail': detail,
                'action': self._action('custmgmt.warning', label, list(expression.AND([base, [('kind', '=', kind)]]))),
            })
        return {'key': 'warnings', 'title': _("Open Early Warnings"), 'lines': lines,
                'empty': _("No open warning."),
                'action': self._action('custmgmt.warning', _("Open Early Warnings"), list(base))}

    @api.model
    def _tile_overdue(self, scope):
        """Overdue receivables per collection quadrant, the quadrant decided by
        the collection matrix's rule with each company's thresholds."""
        companies = self.env.companies
        today = fields.Date.context_today(self)
        self.env['account.move.line'].flush_model()
        self.env['res.partner'].flush_model(['commercial_partner_id', 'user_id', 'custmgmt_archive_user_id'])
        # grouped per journal-item partner first, then per customer: the join to
        # the partners runs on the grouped rows, not on every item
        rows = self.env.execute_query(SQL(
            """
            WITH per_partner AS (
                SELECT line.company_id, line.partner_id, SUM(line.amount_residual) AS amount,
                       MAX(%(today)s::date - COALESCE(line.date_maturity, line.date)) AS days
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                 WHERE %(overdue)s AND line.company_id = ANY(%(companies)s) AND %(lines_scope)s
              GROUP BY line.company_id, line.partner_id
            )
            SELECT per_partner.company_id, partner.commercial_partner_id, SUM(per_partner.amount),
                   MAX(per_partner.days)
              FROM per_partner
              JOIN res_partner partner ON partner.id = per_partner.partner_id
             WHERE %(scope)s
          GROUP BY per_partner.company_id, partner.commercial_partner_id
            """, today=today, overdue=overdue_item(today), companies=companies.ids,
            lines_scope=self._scope_sql(scope[1] and [('commercial_partner_id', 'any', scope[1])],
                                        SQL("line.partner_id")),
            scope=self._scope_sql(scope[1], SQL("partner.commercial_partner_id"))))
        currency = self.env.company.currency_id
        policies = {company.id: (
            company.custmgmt_long_overdue_days, company.custmgmt_large_overdue_amount,
            company.currency_id._get_conversion_rate(company.currency_id, currency, company, today)
            if company.currency_id != currency else 1.0) for company in companies}
        totals = overview_rules.quadrant_totals(
            ((cid, pid, float(amount), days) for cid, pid, amount, days in rows), policies, credit_rules.quadrant)
        labels = dict(self.env['custmgmt.receivable.aging']._fields['quadrant']._description_selection(self.env))
        # the list behind a quadrant: the overdue items of its customers, as the
        # matrix counted them (the aging report's own quadrant nets credits off)
        base = [('days_overdue', '>', 0), ('amount_residual', '>', 0), ('company_id', 'in', companies.ids)]
        lines = [{
            'label': labels[name], 'value': totals[name][0], 'quadrant': name,
            'display': format_amount(self.env, totals[name][0], currency) if totals[name][1] else "–",
            'detail': _("1 customer") if totals[name][1] == 1 else _("%(count)s customers", count=totals[name][1]),
            'action': self._action('custmgmt.receivable.aging', labels[name],
                                   base + [('partner_id', 'in', totals[name][2])], views=('list', 'pivot')),
        } for name, _label in QUADRANT_SELECTION]
        return {'key': 'overdue', 'title': _("Overdue by Collection Quadrant"),
                'subtitle': _("In %(currency)s, as of %(date)s", currency=currency.name,
                              date=format_date(self.env, today)), 'lines': lines}

    @api.model
    def _tile_credit(self, scope):
        """Orders held by credit that wait for a Finance exception, and the
        exceptions requested."""
        companies = self.env.companies.ids
        lines = []
        if self._readable('sale.order'):
            held = expression.AND([
                [('state', 'in', ['draft', 'sent']), ('company_id', 'in', companies)],
                ['|', ('custmgmt_credit_awaiting', '=', True),
                 ('custmgmt_credit_exception_ids.state', '=', 'requested')],
                self._in_scope(scope[1], 'partner_id.commercial_partner_id')])
            lines.append({'label': _("Orders held by credit"),
                          'value': self.env['sale.order'].search_count(list(held)),
                          'action': self._action('sale.order', _("Orders Held by Credit"), list(held))})
        if self._readable('custmgmt.credit.exception'):
            requested = expression.AND([[('state', '=', 'requested'), ('company_id', 'in', companies)],
                                    self._in_scope(scope[1])])
            lines.append({'label': _("Exceptions awaiting a decision"),
                          'value': self.env['custmgmt.credit.exception'].search_count(list(requested)),
                          'action': self._action('custmgmt.credit.exception', _("Credit Exceptions Requested"),
                                                 list(requested))})
        return lines and {'key': 'credit', 'title': _("Credit Holds"), 'lines': lines}

    @api.model
    def _tile_complaints(self, scope):
        """Open complaints and those past their deadline, by department."""
        Complaint = self.env['custmgmt.complaint']
        base = expression.AND([[('state', 'in', list(OPEN_STATES)), ('company_id', 'in', self.env.companies.ids)],
                           self._in_scope(scope[1])])
        late_domain = expression.AND([base, [('is_overdue', '=', True)]])
        open_groups = Complaint._read_group(list(base), ['department_id'], ['__count'])
        late = dict(Complaint._read_group(list(late_domain), ['department_id'], ['__count']))
        lines = []
        for department, count in sorted(open_groups, key=lambda group: group[0].display_name or ''):
            where = [('department_id', '=', department.id or False)]
            label = department.display_name or _("No department")
            lines.append({
                'label': label, 'value': count,
                'action': self._action('custmgmt.complaint', _("Open Complaints: %s", label),
                                       list(expression.AND([base, where]))),
                'alert': late.get(department, 0), 'alert_label': _("past deadline"),
                'alert_action': self._action('custmgmt.complaint', _("Complaints Past Deadline: %s", label),
                                             list(expression.AND([late_domain, where]))),
            })
        return {'key': 'complaints', 'title': _("Open Complaints"), 'lines': lines,
                'empty': _("No open complaint."),
                'action': self._action('custmgmt.complaint', _("Open Complaints"), list(base))}

    @api.model
    def _tile_visits(self, scope):
        """Planned visits due in the rest of this week, and those overdue."""
        Visit = self.env['custmgmt.visit']
        today = fields.Date.context_today(self)
        _monday, sunday = overview_rules.week_bounds(today)
        base = [('state', '=', 'planned'), ('company_id', 'in', self.env.companies.ids)]
        if scope[1]:
            base = list(expression.AND([base, expression.OR([self._in_scope(scope[1]), [('user_id', 'in', scope[2])]])]))
        due = list(expression.AND([base, [('date', '>=', fields.Date.to_string(today)),
                                      ('date', '<=', fields.Date.to_string(sunday))]]))
        overdue = list(expression.AND([base, [('date', '<', fields.Date.to_string(today))]]))
        views = ('list', 'calendar', 'form')
        return {'key': 'visits', 'title': _("Planned Visits"), 'lines': [
            {'label': _("Due this week"), 'value': Visit.search_count(due),
             'action': self._action('custmgmt.visit', _("Visits Due This Week"), due, views=views)},
            {'label': _("Past their date"), 'value': Visit.search_count(overdue), 'danger': True,
             'action': self._action('custmgmt.visit', _("Overdue Visits"), overdue, views=views)},
        ]}

    @api.model
    def _tile_satisfaction(self, scope):
        """Average satisfaction (1 to 5) per month over the last 12 months."""
        today = fields.Date.context_today(self)
        months = overview_rules.months_back(today, 12)
        self.env['survey.user_input'].flush_model(
            ['state', 'end_datetime', 'custmgmt_partner_id', 'custmgmt_company_id', 'custmgmt_satisfaction'])
        rows = self.env.execute_query(SQL(
            """
            SELECT date_trunc('month', answer.end_datetime)::date, AVG(answer.custmgmt_satisfaction), COUNT(*)
              FROM survey_user_input answer
             WHERE answer.state = 'done' AND answer.custmgmt_satisfaction > 0
               AND answer.custmgmt_company_id = ANY(%(companies)s) AND answer.end_datetime >= %(since)s
               AND %(scope)s
          GROUP BY 1
            """, companies=self.env.companies.ids, since=months[0],
            scope=self._scope_sql(scope[1], SQL("answer.custmgmt_partner_id"))))
        by_month = {month: (float(average), count) for month, average, count in rows}
        lang = self.env.lang or 'en_US'
        locale = lang if lang != 'sr@latin' else 'sr_Latn'

        def skeleton(pattern, month):
            return format_skeleton(pattern, month, locale=locale)

        series = [{'label': overview_rules.month_label(month, lang, short=True, skeleton_format=skeleton),
                   'title': overview_rules.month_label(month, lang, skeleton_format=skeleton),
                   'value': round(by_month[month][0], 2) if month in by_month else None,
                   'count': by_month.get(month, (0, 0))[1]} for month in months]
        count = sum(c for _avg, c in by_month.values())
        average = sum(a * c for a, c in by_month.values()) / count if count else None
        action = None
        if self._readable('custmgmt.service.report'):
            action = self.env['ir.actions.act_window']._for_xml_id(
                'custmgmt_addon.custmgmt_satisfaction_analysis_action')
        return {'key': 'satisfaction', 'title': _("Satisfaction Trend"),
                'subtitle': overview_rules.month_range_label(
                    months[0], months[-1], lang,
                    interval_format=lambda start, end: format_interval(start, end, 'yMMM', locale=locale)),
                'series': series, 'lines': [{
                    'label': _("Average of %(count)s answers", count=count),
                    'value': average, 'display': f"{average:.2f} / 5" if average is not None else "–",
                    'action': action}]}

    @api.model
    def _tile_evaluations(self, scope):
        """Evaluations to fill in or to approve (when that feature is installed)."""
        Evaluation = self.env['custmgmt.evaluation']
        if not {'state', 'partner_id', 'company_id'} <= set(Evaluation._fields):
            return None
        base = expression.AND([[('company_id', 'in', self.env.companies.ids)], self._in_scope(scope[1])])
        counts = dict(Evaluation._read_group(
            list(expression.AND([base, [('state', 'in', ['draft', 'submitted'])]])), ['state'], ['__count']))
        lines = []
        for state, label in (('draft', _("To fill in")), ('submitted', _("To approve"))):
            domain = list(expression.AND([base, [('state', '=', state)]]))
            lines.append({'label': label, 'value': counts.get(state, 0),
                          'action': self._action('custmgmt.evaluation', label, domain)})
        return {'key': 'evaluations', 'title': _("Evaluations"), 'lines': lines}

    # ------------------------------------------------------------
    # PUBLIC
    # ------------------------------------------------------------

    @api.model
    def get_overview(self):
        """Every tile of the overview in the user's scope, in one call. A tile
        of a feature that is not installed, or of records the user may not
        read, is left out."""
        scope = self._scope()
        tiles = []
        builders = [
            ('res.partner', self._tile_tiers),
            ('custmgmt.warning', self._tile_warnings),
            ('custmgmt.receivable.aging', self._tile_overdue),
            ('res.partner', self._tile_credit),
            ('custmgmt.complaint', self._tile_complaints),
            ('custmgmt.visit', self._tile_visits),
            ('res.partner', self._tile_satisfaction),
            ('custmgmt.evaluation', self._tile_evaluations),
        ]
        for model, build in builders:
            if self._readable(model):
                tile = build(scope)
                if tile:
                    tiles.append(tile)
        labels = {'all': _("All customers"), 'team': _("My team's customers"), 'own': _("My customers")}
        return {
            'scope': scope[0], 'scope_label': labels[scope[0]],
            'companies': ", ".join(self.env.companies.mapped('name')),
            'tiles': tiles,
        }
