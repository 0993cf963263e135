from odoo import api, fields, models
from odoo.tools import SQL

from ..rules import warnings as warning_rules


class CustmgmtWarningSignals(models.AbstractModel):
    """Where each kind of early warning holds in a company: one grouped query
    per kind over all the company's customers, the kind's condition decided
    by ``rules.warnings``; ``{partner_id: Signal}``. Read by the scan
    (``custmgmt.warning.engine``)."""
    _name = 'custmgmt.warning.signals'
    _description = "Customer Management: early-warning signals"


    @api.model
    def _tier_sql(self, company, alias='partner'):
        return SQL("%s.custmgmt_tier ->> %s", SQL.identifier(alias), str(company.id))

    @api.model
    def _signals_key_decline(self, company, policy, today):
        self.env['account.move'].flush_model(['company_id', 'state', 'move_type', 'invoice_date',
                                              'amount_untaxed_signed', 'commercial_partner_id'])
        self.env['res.partner'].flush_model(['custmgmt_tier'])
        recent, previous, year_before = warning_rules.decline_windows(today, policy['decline_months'])
        rows = self.env.execute_query(SQL(
            """
            SELECT move.commercial_partner_id, %(tier)s,
                   COALESCE(SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(r0)s), 0),
                   SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(p0)s
                                                             AND move.invoice_date < %(p1)s),
                   SUM(move.amount_untaxed_signed) FILTER (WHERE move.invoice_date >= %(y0)s
                                                             AND move.invoice_date < %(y1)s)
              FROM account_move move
              JOIN res_partner partner ON partner.id = move.commercial_partner_id
             WHERE move.company_id = %(company)s AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date >= LEAST(%(p0)s, %(y0)s) AND move.invoice_date < %(r1)s
               AND %(tier)s IN ('a', 'b')
          GROUP BY 1, 2
            """,
            tier=self._tier_sql(company), company=company.id, r0=recent[0], r1=recent[1], p0=previous[0],
            p1=previous[1], y0=year_before[0], y1=year_before[1],
        ))
        signals = {}
        for pid, tier, cur, prev, year in rows:
            sig = warning_rules.key_decline(tier, float(cur), prev and float(prev), year and float(year),
                                            policy['decline_pct'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_churn(self, company, policy, today):
        """Only customers silent for more than the minimum can be at risk: the
        others are left out of the query (the rule never fires below it)."""
        self.env['account.move'].flush_model(['company_id', 'state', 'move_type', 'invoice_date',
                                              'commercial_partner_id'])
        intervals = warning_rules.DEFAULTS['churn_intervals']
        rows = self.env.execute_query(SQL(
            """
            SELECT move.commercial_partner_id,
                   (ARRAY_AGG(DISTINCT move.invoice_date ORDER BY move.invoice_date DESC))[1:%(last)s]
              FROM account_move move
             WHERE move.company_id = %(company)s AND move.state = 'posted' AND move.move_type = 'out_invoice'
               AND move.invoice_date IS NOT NULL AND move.commercial_partner_id IS NOT NULL
          GROUP BY 1
            HAVING MAX(move.invoice_date) < %(since)s
            """,
            company=company.id, last=intervals + 1,
            since=fields.Date.subtract(today, days=policy['churn_min_days']),
        ))
        signals = {}
        for pid, dates in rows:
            sig = warning_rules.churn(dates, today, policy['churn_factor'], policy['churn_min_days'], intervals)
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_slow_payment(self, company, policy, today):
        """The payment delay as the customer's figures define it (settled
        receivable items of customer invoices, days from due date to last
        payment), over 3 and 12 months; the oldest overdue item as the
        collection matrix reads it."""
        rows = self.env.execute_query(SQL(
            """
            SELECT paid.partner_id,
                   AVG(GREATEST(paid.paid_on - paid.due, 0)) FILTER (WHERE paid.paid_on >= %(recent)s),
                   AVG(GREATEST(paid.paid_on - paid.due, 0))
              FROM (%(settled)s) paid
          GROUP BY paid.partner_id
            """,
            settled=self.env['res.partner']._custmgmt_settled_items_sql(company, fields.Date.subtract(today, months=12)),
            recent=fields.Date.subtract(today, months=3),
        ))
        delays = {pid: (recent and float(recent), year and float(year)) for pid, recent, year in rows}
        overdue = self.env['custmgmt.collection']._overdue_customers(company, today)
        signals = {}
        for pid in delays.keys() | overdue.keys():
            recent, year = delays.get(pid, (None, None))
            sig = warning_rules.slow_payment(recent, year, overdue.get(pid, (0.0, 0))[1], policy['delay_days'],
                                             policy['overdue_days'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_satisfaction(self, company, policy, today):
        Answer = self.env['survey.user_input']
        Answer.flush_model(['state', 'end_datetime', 'custmgmt_partner_id', 'custmgmt_company_id',
                            'custmgmt_satisfaction'])
        rows = self.env.execute_query(SQL(
            """
            SELECT custmgmt_partner_id,
                   (ARRAY_AGG(custmgmt_satisfaction ORDER BY end_datetime DESC NULLS LAST, id DESC))[1:2]
              FROM survey_user_input
             WHERE state = 'done' AND custmgmt_satisfaction > 0
               AND custmgmt_company_id = %(company)s AND custmgmt_partner_id IS NOT NULL
          GROUP BY custmgmt_partner_id
            """, company=company.id))
        signals = {}
        for pid, scores in rows:
            sig = warning_rules.satisfaction(float(scores[0]), float(scores[1]) if len(scores) > 1 else None,
                                             policy['satisfaction_low'], policy['satisfaction_drop'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_complaints(self, company, policy, today):
        self.env['custmgmt.complaint'].flush_model(['company_id', 'partner_id', 'date_received', 'kind', 'state'])
        self.env['res.partner'].flush_model(['commercial_partner_id', 'custmgmt_tier'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, %(tier)s, COUNT(*),
                   COUNT(*) FILTER (WHERE complaint.kind = 'quality')
              FROM custmgmt_complaint complaint
              JOIN res_partner customer ON customer.id = complaint.partner_id
              JOIN res_partner partner ON partner.id = customer.commercial_partner_id
             WHERE complaint.company_id = %(company)s AND complaint.state != 'cancelled'
               AND complaint.active AND complaint.date_received >= %(since)s
          GROUP BY 1, 2
            """,
            tier=self._tier_sql(company), company=company.id,
            since=fields.Datetime.to_datetime(fields.Date.subtract(today, days=policy['complaint_days'] - 1)),
        ))
        signals = {}
        for pid, tier, count, quality in rows:
            sig = warning_rules.complaint_surge(tier, count, quality, policy['complaint_count'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_tier_down(self, company, policy, today):
        last_run = company.custmgmt_tier_last_run_date
        if not last_run:
            return {}
        self.env['custmgmt.tier.history'].flush_model(['partner_id', 'company_id', 'date', 'old_tier', 'new_tier',
                                                       'reason'])
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (partner_id) partner_id, old_tier, new_tier, date, reason
              FROM custmgmt_tier_history
             WHERE company_id = %(company)s AND date >= %(since)s
          ORDER BY partner_id, date DESC, id DESC
            """, company=company.id, since=last_run))
        signals = {}
        for pid, old, new, day, reason in rows:
            sig = warning_rules.tier_down(old, new, day if reason == 'recompute' else None, last_run)
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_service_gap(self, company, policy, today):
        """The visit cadence's own due dates (``custmgmt.visit.planner``)."""
        Planner = self.env['custmgmt.visit.planner']
        service = company._custmgmt_service_policy()
        signals = {}
        for row in Planner._custmgmt_cadence_rows(company):
            due, _top_due = Planner._custmgmt_due_dates(row, service, today)
            sig = warning_rules.service_gap(row.tier, due, service['intervals'].get(row.tier), today)
            if sig:
                signals[row.partner_id] = sig
        return signals

    @api.model
    def _signals_stale_archive(self, company, policy, today):
        self.env['res.partner'].flush_model(['custmgmt_tier', 'custmgmt_archive_reviewed_on', 'active', 'parent_id'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.id, %(tier)s, partner.custmgmt_archive_reviewed_on, partner.create_date::date
              FROM res_partner partner
             WHERE %(tier)s IN ('a', 'b') AND partner.active AND partner.parent_id IS NULL
               AND COALESCE(partner.custmgmt_archive_reviewed_on, partner.create_date::date) <= %(since)s
            """,
            # a few days of slack at month ends (31 Aug + 6 months is 28 Feb): the rule decides
            tier=self._tier_sql(company),
            since=fields.Date.add(warning_rules.add_months(today, -policy['stale_months']), days=3)))
        signals = {}
        for pid, tier, reviewed, created in rows:
            sig = warning_rules.stale_archive(tier, reviewed, created, today, policy['stale_months'])
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_decision_chain(self, company, policy, today):
        self.env['custmgmt.decision.member'].flush_model(['partner_id', 'company_id', 'active', 'decision_role',
                                                          'is_coach'])
        rows = self.env.execute_query(SQL(
            """
            SELECT member.partner_id, %(tier)s,
                   COUNT(*) FILTER (WHERE NOT member.active AND member.decision_role = 'leader'),
                   COUNT(*) FILTER (WHERE member.active AND member.decision_role = 'leader'),
                   COUNT(*) FILTER (WHERE NOT member.active AND member.is_coach),
                   COUNT(*) FILTER (WHERE member.active AND member.is_coach)
              FROM custmgmt_decision_member member
              JOIN res_partner partner ON partner.id = member.partner_id
             WHERE member.company_id = %(company)s AND %(tier)s IN ('a', 'b')
               AND (member.decision_role = 'leader' OR member.is_coach)
          GROUP BY 1, 2
            HAVING COUNT(*) FILTER (WHERE NOT member.active) > 0
            """, tier=self._tier_sql(company), company=company.id))
        signals = {}
        for pid, tier, *counts in rows:
            sig = warning_rules.decision_chain(tier, *counts)
            if sig:
                signals[pid] = sig
        return signals

    @api.model
    def _signals_credit(self, company, policy, today):
        """The credit exposure exactly as the customer's figures and the credit
        hold compute it (``res.partner._custmgmt_exposure_query``), against the
        limit as the hold reads it (``_custmgmt_limit_sql``)."""
        Partner = self.env['res.partner']
        limit, fallback = Partner._custmgmt_limit_sql(company, 'customer')
        Partner.flush_model(['credit_limit'])
        partner_filter = None
        if not fallback:  # only customers with a limit of their own have one
            partner_filter = SQL("SELECT id FROM res_partner WHERE (credit_limit ->> %s)::float8 > 0", str(company.id))
        rows = self.env.execute_query(SQL(
            """
            SELECT exposure.partner_id, exposure.open + exposure.draft + exposure.to_invoice, %(limit)s
              FROM (%(exposure)s) AS exposure(partner_id, company_id, open, overdue, oldest, draft, to_invoice)
              JOIN res_partner customer ON customer.id = exposure.partner_id
             WHERE %(limit)s > 0
            """,
            exposure=Partner._custmgmt_exposure_query(today, [company.id], partner_filter=partner_filter),
            limit=limit,
        ))
        signals = {}
        for pid, exposure, credit_limit in rows:
            sig = warning_rules.credit(float(exposure), float(credit_limit), policy['credit_pct'])
            if sig:
                signals[pid] = sig
        return signals
