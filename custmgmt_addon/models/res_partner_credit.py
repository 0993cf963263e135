from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..rules import credit as credit_rules
from .res_partner import ARCHIVE_GROUP, FINANCE_GROUP, MANAGER_GROUP

# credit fields only Finance (or the collection job) may change
CREDIT_MANAGED_FIELDS = ('custmgmt_credit_standing', 'custmgmt_dunning_level', 'custmgmt_dunning_date')


class ResPartner(models.Model):
    """Credit and receivables (信用, 应收账款) of the customer, per company and
    in company currency: the figures, the exposure and the credit limit check
    from grouped SQL over the open receivable items (``rules.credit``)."""
    _inherit = 'res.partner'


    custmgmt_receivables_visible = fields.Boolean(
        compute='_compute_custmgmt_receivables', groups=ARCHIVE_GROUP,
        help="The current user may read this customer's receivable figures: Finance and Managers for every "
             "customer, Users for the customers they sell to or own, as in the receivable aging report.")
    custmgmt_overdue_amount = fields.Monetary(
        string="Overdue", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_oldest_overdue_days = fields.Integer(
        string="Days Overdue (oldest)", compute='_compute_custmgmt_receivables', groups=ARCHIVE_GROUP)
    custmgmt_open_amount = fields.Monetary(
        string="Open Receivables", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP, help="Posted receivables not yet paid, in this company.")
    custmgmt_aging_not_due = fields.Monetary(
        string="Not Due", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_1_30 = fields.Monetary(
        string="1–30 Days", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_31_60 = fields.Monetary(
        string="31–60 Days", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_61_90 = fields.Monetary(
        string="61–90 Days", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_aging_over_90 = fields.Monetary(
        string="Over 90 Days", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_draft_invoiced = fields.Monetary(
        string="Draft Invoices", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP)
    custmgmt_to_invoice = fields.Monetary(
        string="Orders to Invoice", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP, help="Confirmed orders not yet invoiced, tax included.")
    custmgmt_exposure = fields.Monetary(
        string="Credit Exposure", compute='_compute_custmgmt_receivables', currency_field='custmgmt_company_currency_id',
        groups=ARCHIVE_GROUP,
        help="Open receivables + draft customer invoices + confirmed orders not yet invoiced, tax included, "
             "in company currency (credit limits are in company currency too).")
    custmgmt_over_credit_limit = fields.Boolean(
        string="Over Credit Limit", compute='_compute_custmgmt_over_credit_limit',
        search='_search_custmgmt_over_credit_limit', groups=ARCHIVE_GROUP,
        help="The customer has a credit limit in this company and its exposure is above it.")
    custmgmt_is_finance = fields.Boolean(compute='_compute_custmgmt_is_finance')
    custmgmt_dunning_level = fields.Integer(
        string="Dunning Level", company_dependent=True, groups=ARCHIVE_GROUP, readonly=True,
        help="Level of the last dunning letter sent (1 to 3); back to 0 once nothing is overdue.")
    custmgmt_dunning_date = fields.Date(string="Last Dunning Letter", company_dependent=True, groups=ARCHIVE_GROUP,
                                        readonly=True)
    custmgmt_payment_delay = fields.Float(
        string="Average Payment Delay (days)", compute='_compute_custmgmt_receivables', digits=(16, 1),
        groups=ARCHIVE_GROUP,
        help="Days paid after the due date, on average, over the invoices settled in the last 12 months: "
             "late payment is a sign of a dissatisfied customer.")

    @api.depends_context('uid')
    def _compute_custmgmt_is_finance(self):
        self.custmgmt_is_finance = self.env.su or self.env.user.has_group(FINANCE_GROUP)

    def _custmgmt_receivables_visible_ids(self):
        """Ids of the commercial partners in ``self`` whose receivable figures
        the current user may read: the same people as the aging report."""
        user = self.env.user
        if self.env.su or user.has_group(FINANCE_GROUP) or user.has_group(MANAGER_GROUP):
            return set(self.ids)
        return self._custmgmt_own_ids()

    @api.depends_context('company', 'uid')
    def _compute_custmgmt_receivables(self):
        """All figures of the recordset at once, per commercial partner: the
        exposure and the oldest overdue item from one grouped query, the aging
        buckets and the payment delay from grouped queries. Customers whose
        figures the user may not read show nothing."""
        commercials = self.commercial_partner_id._origin
        visible = commercials._custmgmt_receivables_visible_ids()
        readable = commercials.browse(sorted(visible))
        positions = readable._custmgmt_credit_positions(self.env.company)
        figures = readable._custmgmt_receivable_figures()
        for partner in self:
            commercial = partner.commercial_partner_id._origin.id
            values = figures.get(commercial, {})
            position = positions.get(commercial, {})
            partner.custmgmt_receivables_visible = commercial in visible
            for bucket in credit_rules.BUCKETS:
                partner[f'custmgmt_aging_{bucket}'] = values.get(bucket, 0.0)
            partner.custmgmt_open_amount = position.get('open', 0.0)
            partner.custmgmt_overdue_amount = position.get('overdue', 0.0)
            partner.custmgmt_oldest_overdue_days = position.get('oldest', 0)
            partner.custmgmt_draft_invoiced = position.get('draft', 0.0)
            partner.custmgmt_to_invoice = position.get('to_invoice', 0.0)
            partner.custmgmt_exposure = position.get('exposure', 0.0)
            partner.custmgmt_payment_delay = values.get('delay', 0.0)

    @api.depends_context('company', 'uid')
    def _compute_custmgmt_over_credit_limit(self):
        commercials = self.commercial_partner_id._origin
        visible = commercials._custmgmt_receivables_visible_ids()
        over = set(self._custmgmt_over_limit_ids(self.env.company, sorted(visible))) if visible else set()
        for partner in self:
            partner.custmgmt_over_credit_limit = partner.commercial_partner_id._origin.id in over

    def _search_custmgmt_over_credit_limit(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_("Over credit limit can only be searched as over or not."))
        over = self.browse(self._custmgmt_over_limit_ids(self.env.company))
        # the filter tells no more than the figures: Users learn it of their own customers only
        ids = sorted(over._custmgmt_receivables_visible_ids())
        return [('commercial_partner_id', 'in' if (operator == '=') == value else 'not in', ids)]

    @api.constrains('credit_limit')
    def _check_custmgmt_credit_limit(self):
        for partner in self.sudo():
            if not credit_rules.limit_is_valid(partner.credit_limit):
                raise ValidationError(_("The credit limit of %(customer)s cannot be negative (0 means no limit).",
                                        customer=partner.display_name))

    @api.constrains(*CREDIT_MANAGED_FIELDS)
    def _check_custmgmt_credit_fields_by_finance(self):
        """Credit standing and dunning level are Finance's: on create, copy and
        import as well as on write (see ``write``)."""
        if self.env.su or self.env.user.has_group(FINANCE_GROUP):
            return
        for partner in self.sudo():
            if any(partner[fname] for fname in CREDIT_MANAGED_FIELDS):
                raise AccessError(_("Only Finance can set the credit standing or the dunning level of a customer."))

    @api.model
    def _custmgmt_exposure_query(self, today, company_ids, partner_ids=None, partner_filter=None):
        """SQL returning ``(partner_id, company_id, open, overdue, oldest_days,
        draft, to_invoice)`` per commercial partner and company, in company
        currency, in one grouped query: posted open receivables (overdue: due
        before today; oldest: days of the oldest overdue debit), draft customer
        invoices and refunds not made from orders (their orders count), and
        confirmed orders not yet invoiced, tax included, by invoice address.

        Why not core's figures: ``credit`` and sale's ``credit_to_invoice``
        are read through the ORM per partner (the latter loads every order and
        is empty unless the company turned core's credit limit on), and core's
        credit-limit check only warns on the quotation. The credit hold, the
        aging report and the collection matrix need the same figures for
        thousands of customers at once, by paying customer and company, in
        company currency: one query here, with the open receivable items
        defined once in ``rules.credit``. The limit itself is core's
        ``credit_limit`` (with its company default).

        :param partner_ids: commercial partners to read (all when None)
        :param partner_filter: SQL subquery of commercial partner ids to read
        """
        for model, fnames in (
                ('account.move.line', ['amount_residual', 'date_maturity', 'date', 'partner_id', 'account_id',
                                       'parent_state', 'reconciled', 'company_id', 'move_id']),
                ('account.move', ['state', 'move_type', 'amount_total_signed', 'partner_id', 'company_id']),
                ('sale.order', ['state', 'partner_invoice_id', 'company_id', 'currency_rate']),
                ('sale.order.line', ['untaxed_amount_to_invoice', 'price_total', 'price_subtotal', 'order_id']),
                ('res.partner', ['commercial_partner_id'])):
            self.env[model].flush_model(fnames)

        def partner_cond(column):
            conds = [SQL("TRUE")]
            if partner_ids is not None:
                conds.append(SQL("%s = ANY(%s)", column, list(partner_ids)))
            if partner_filter is not None:
                conds.append(SQL("%s IN (%s)", column, partner_filter))
            return SQL(" AND ").join(conds)

        return SQL(
            """
            SELECT src.partner_id, src.company_id,
                   COALESCE(SUM(src.open), 0), COALESCE(SUM(src.overdue), 0), COALESCE(MAX(src.days), 0),
                   COALESCE(SUM(src.draft), 0), COALESCE(SUM(src.to_invoice), 0)
              FROM (
                    SELECT partner.commercial_partner_id AS partner_id, line.company_id,
                           line.amount_residual AS open,
                           CASE WHEN COALESCE(line.date_maturity, line.date) < %(today)s
                                THEN line.amount_residual END AS overdue,
                           CASE WHEN COALESCE(line.date_maturity, line.date) < %(today)s AND line.amount_residual > 0
                                THEN %(today)s::date - COALESCE(line.date_maturity, line.date) END AS days,
                           NULL::numeric AS draft, NULL::numeric AS to_invoice
                      FROM account_move_line line
                      %(open_item_joins)s
                     WHERE %(open_item)s
                       AND line.company_id = ANY(%(companies)s)
                       AND %(line_partner)s
                 UNION ALL
                    SELECT partner.commercial_partner_id, move.company_id, NULL, NULL, NULL,
                           move.amount_total_signed, NULL
                      FROM account_move move
                      JOIN res_partner partner ON partner.id = move.partner_id
                     WHERE move.state = 'draft' AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.company_id = ANY(%(companies)s)
                       AND %(move_partner)s
                       AND NOT EXISTS (SELECT 1
                                         FROM account_move_line line
                                         JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = line.id
                                        WHERE line.move_id = move.id)
                 UNION ALL
                    SELECT partner.commercial_partner_id, sale.company_id, NULL, NULL, NULL, NULL,
                           sol.untaxed_amount_to_invoice
                           * CASE WHEN sol.price_subtotal != 0 THEN sol.price_total / sol.price_subtotal ELSE 1 END
                           / COALESCE(NULLIF(sale.currency_rate, 0), 1)
                      FROM sale_order_line sol
                      JOIN sale_order sale ON sale.id = sol.order_id
                      JOIN res_partner partner ON partner.id = sale.partner_invoice_id
                     WHERE sale.state = 'sale' AND sol.untaxed_amount_to_invoice > 0
                       AND sale.company_id = ANY(%(companies)s)
                       AND %(order_partner)s
                   ) src
          GROUP BY src.partner_id, src.company_id
            """,
            today=today, companies=list(company_ids),
            open_item_joins=SQL(credit_rules.OPEN_ITEM_JOINS), open_item=SQL(credit_rules.OPEN_ITEM_CONDITION),
            line_partner=partner_cond(SQL("partner.commercial_partner_id")),
            move_partner=partner_cond(SQL("partner.commercial_partner_id")),
            order_partner=partner_cond(SQL("partner.commercial_partner_id")),
        )

    def _custmgmt_credit_positions(self, company):
        """``{commercial_partner_id: {'open', 'overdue', 'oldest', 'draft',
        'to_invoice', 'exposure'}}`` of the commercial partners in ``self`` in
        ``company``, from one grouped query (the credit hold's check)."""
        if not self:
            return {}
        rows = self.env.execute_query(self._custmgmt_exposure_query(
            fields.Date.context_today(self), [company.id], partner_ids=self.ids))
        return {
            partner_id: {
                'open': float(open_), 'overdue': float(overdue), 'oldest': days,
                'draft': float(draft), 'to_invoice': float(to_invoice),
                'exposure': float(open_) + float(draft) + float(to_invoice),
            }
            for partner_id, _company_id, open_, overdue, days, draft, to_invoice in rows
        }

    @api.model
    def _custmgmt_limit_sql(self, company, alias):
        """SQL of the credit limit of the partner ``alias`` in ``company``,
        core's company default (ir.default) when the partner has none."""
        fallback = self._fields['credit_limit'].get_company_dependent_fallback(
            self.sudo().with_company(company)) or 0.0
        return SQL("COALESCE((%s.credit_limit ->> %s)::float8, %s)", SQL.identifier(alias), str(company.id),
                   float(fallback)), fallback

    @api.model
    def _custmgmt_over_limit_ids(self, company, partner_ids=None):
        """Commercial partners with a credit limit in ``company`` and an
        exposure above it, computed in SQL."""
        limit, fallback = self._custmgmt_limit_sql(company, 'customer')
        self.flush_model(['credit_limit'])
        partner_filter = None
        if not fallback:  # only customers with a limit of their own can be over it
            partner_filter = SQL("SELECT id FROM res_partner WHERE (credit_limit ->> %s)::float8 > 0", str(company.id))
        rows = self.env.execute_query(SQL(
            """
            SELECT exposure.partner_id
              FROM (%(exposure)s) AS exposure(partner_id, company_id, open, overdue, oldest, draft, to_invoice)
              JOIN res_partner customer ON customer.id = exposure.partner_id
             WHERE %(limit)s > 0 AND exposure.open + exposure.draft + exposure.to_invoice > %(limit)s
            """,
            exposure=self._custmgmt_exposure_query(fields.Date.context_today(self), [company.id],
                                                   partner_ids=partner_ids, partner_filter=partner_filter),
            limit=limit,
        ))
        return [row[0] for row in rows]

    def _custmgmt_receivable_figures(self):
        """``{commercial_partner_id: {bucket: amount, 'delay': days}}`` of the
        commercial partners in ``self``, in the current company."""
        commercial_ids = list(set(self.ids))
        if not commercial_ids:
            return {}
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env['account.move.line'].flush_model(
            ['amount_residual', 'date_maturity', 'date', 'partner_id', 'account_id', 'parent_state',
             'reconciled', 'company_id', 'move_id'])
        self.env['account.move'].flush_model(['move_type'])
        self.env['account.partial.reconcile'].flush_model(['debit_move_id', 'max_date'])
        figures = {}
        # open items grouped by customer and days overdue; the bucket of a
        # number of days is the business rule's
        for partner_id, days, residual in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id,
                   %(today)s::date - COALESCE(line.date_maturity, line.date),
                   SUM(line.amount_residual)
              FROM account_move_line line
              %(open_item_joins)s
             WHERE %(open_item)s
               AND line.company_id = %(company)s
               AND partner.commercial_partner_id = ANY(%(ids)s)
          GROUP BY 1, 2
            """,
            today=today, company=company.id, ids=commercial_ids,
            open_item_joins=SQL(credit_rules.OPEN_ITEM_JOINS), open_item=SQL(credit_rules.OPEN_ITEM_CONDITION),
        )):
            values = figures.setdefault(partner_id, {})
            bucket = credit_rules.aging_bucket(days)
            values[bucket] = values.get(bucket, 0.0) + float(residual)
        # payment delay: receivable items of customer invoices settled in the
        # last 12 months, days from their due date to their last payment (0 when on time)
        for partner_id, delay in self.env.execute_query(SQL(
            "SELECT paid.partner_id, AVG(GREATEST(paid.paid_on - paid.due, 0)) FROM (%s) paid GROUP BY 1",
            self._custmgmt_settled_items_sql(company, fields.Date.subtract(today, months=12), commercial_ids),
        )):
            figures.setdefault(partner_id, {})['delay'] = float(delay)
        return figures

    @api.model
    def _custmgmt_settled_items_sql(self, company, since, partner_ids=None):
        """SQL of the receivable items of customer invoices of ``company``
        settled since ``since``: ``(partner_id, due, paid_on)``, the commercial
        partner, the due date and the date of the last payment. The one
        definition of the payment delay (the customer's figures, the early
        warnings, the evaluation's cooperation)."""
        self.env['account.move.line'].flush_model(
            ['account_id', 'parent_state', 'reconciled', 'company_id', 'partner_id', 'date_maturity', 'date',
             'move_id'])
        self.env['account.move'].flush_model(['move_type'])
        self.env['account.partial.reconcile'].flush_model(['debit_move_id', 'max_date'])
        partners = SQL("AND partner.commercial_partner_id = ANY(%s)", list(partner_ids)) \
            if partner_ids is not None else SQL()
        return SQL(credit_rules.SETTLED_ITEMS_QUERY, company=company.id, since=since, partners=partners)

    def action_custmgmt_open_credit_figure(self):
        """Open the items behind one credit figure of this customer, named by
        the context key ``custmgmt_figure``: ``open``, ``overdue``, an aging
        bucket, ``draft`` (draft invoices) or ``to_invoice`` (orders)."""
        self.ensure_one()
        figure = self.env.context.get('custmgmt_figure')
        customer = self.commercial_partner_id
        company = self.env.company
        if figure in ('open', 'overdue') or figure in credit_rules.BUCKETS:
            action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_receivable_aging_action')
            domain = [('partner_id', '=', customer.id), ('company_id', '=', company.id)]
            if figure == 'overdue':
                domain.append(('days_overdue', '>', 0))
            elif figure in credit_rules.BUCKETS:
                domain.append(('bucket', '=', figure))
            action.update(view_mode='list,pivot', views=[(False, 'list'), (False, 'pivot')])
        elif figure == 'draft':
            action = self.env['ir.actions.act_window']._for_xml_id('account.action_move_out_invoice_type')
            domain = [('commercial_partner_id', '=', customer.id), ('company_id', '=', company.id),
                      ('state', '=', 'draft'), ('move_type', 'in', ('out_invoice', 'out_refund')),
                      '!', ('line_ids', 'any', [('sale_line_ids', '!=', False)])]
        elif figure == 'to_invoice':
            action = self.env['ir.actions.act_window']._for_xml_id('sale.action_orders')
            domain = [('partner_invoice_id', 'any', [('commercial_partner_id', '=', customer.id)]),
                      ('company_id', '=', company.id), ('state', '=', 'sale'),
                      ('order_line', 'any', [('untaxed_amount_to_invoice', '>', 0)])]
        else:
            raise UserError(_("Unknown credit figure."))
        action['domain'] = domain
        action['context'] = {'create': False}
        action['name'] = _("%(figure)s of %(customer)s", figure=self._custmgmt_figure_label(figure),
                           customer=customer.display_name)
        return action

    def _custmgmt_figure_label(self, figure):
        fnames = {'open': 'custmgmt_open_amount', 'overdue': 'custmgmt_overdue_amount',
                  'draft': 'custmgmt_draft_invoiced', 'to_invoice': 'custmgmt_to_invoice'}
        fname = fnames.get(figure, f'custmgmt_aging_{figure}')
        return self._fields[fname]._description_string(self.env)

    def write(self, vals):
        if set(CREDIT_MANAGED_FIELDS) & vals.keys() and not self.env.su and not self.env.user.has_group(FINANCE_GROUP):
            raise AccessError(_("Only Finance can set the credit standing or the dunning level of a customer."))
        return super().write(vals)
