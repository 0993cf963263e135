"""The printable documents of the addon (QWeb PDF reports): the values each
template needs, fetched for all the printed records at once."""
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..models.custmgmt_collection import overdue_item
from ..models.custmgmt_month_label_mixin import month_label

OPEN_COMPLAINT_STATES = ('new', 'in_progress')
HISTORY_LINES = 8


def last_months(today, count=12):
    """The first days of the ``count`` months up to ``today``'s, oldest first."""
    first = date(today.year, today.month, 1)
    return [first - relativedelta(months=count - 1 - index) for index in range(count)]


class ReportCustmgmtCustomerCard(models.AbstractModel):
    """客户管理卡: the customer's card, in the printing user's language and for
    the current company; its receivable figures only for the users allowed to
    see them (the form's rule, ``custmgmt_receivables_visible``)."""
    _name = 'report.custmgmt_addon.report_customer_card'
    _description = "Customer Management Card"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env['res.partner'].browse(docids).exists()
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_user'):
            raise AccessError(_("Only customer management users can print a customer card."))
        partners.check_access('read')
        company = self.env.company
        today = fields.Date.context_today(self)
        months = last_months(today)
        sales = {(row_partner.id, month): (amount, int(count)) for row_partner, month, amount, count in
                 self.env['custmgmt.partner.sales.month']._read_group(
                     [('partner_id', 'in', partners.ids), ('company_id', '=', company.id)],
                     ['partner_id', 'month:month'], ['amount:sum', 'invoice_count:sum'])}
        history = {}
        for line in self.env['custmgmt.tier.history'].search(
                [('partner_id', 'in', partners.ids), ('company_id', '=', company.id)], order='date desc, id desc'):
            history.setdefault(line.partner_id.id, []).append(line)
        Visit = self.env['custmgmt.visit']
        last_visits, next_visits = {}, {}
        for visit in Visit.search([('partner_id', 'in', partners.ids), ('company_id', '=', company.id),
                                   ('state', '=', 'done')], order='date desc, id desc'):
            last_visits.setdefault(visit.partner_id.id, visit)
        for visit in Visit.search([('partner_id', 'in', partners.ids), ('company_id', '=', company.id),
                                   ('state', '=', 'planned')], order='date, visit_time, id'):
            next_visits.setdefault(visit.partner_id.id, visit)
        complaints = {}
        for complaint in self.env['custmgmt.complaint'].search(
                [('partner_id', 'in', partners.ids), ('state', 'in', OPEN_COMPLAINT_STATES),
                 ('company_id', '=', company.id)], order='date_received desc, id desc'):
            complaints.setdefault(complaint.partner_id.id, []).append(complaint)
        cards = {}
        for partner in partners:
            rows = [(month_label(self.env, month), *sales.get((partner.id, month), (0.0, 0))) for month in months]
            cards[partner.id] = {
                'sales': rows,
                'sales_total': sum(row[1] for row in rows),
                'history': history.get(partner.id, [])[:HISTORY_LINES],
                'last_visit': last_visits.get(partner.id),
                'next_visit': next_visits.get(partner.id),
                'complaints': complaints.get(partner.id, []),
                'receivables_visible': partner.custmgmt_receivables_visible,
            }
        return {
            'doc_ids': partners.ids,
            'doc_model': 'res.partner',
            'docs': partners,
            'cards': cards,
            'company': company,
            'currency': company.currency_id,
            'today': today,
            'first_month': month_label(self.env, months[0]),
            'last_month': month_label(self.env, months[-1]),
        }


class ReportCustmgmtCustomerRegister(models.AbstractModel):
    """客户名册: a salesperson's customers in route order (路序) with their tier,
    visit weekday and time, the sheet taken on the road. Printed for
    salespeople (res.users) or for a selection of customers (res.partner),
    one sheet per salesperson."""
    _name = 'report.custmgmt_addon.report_customer_register'
    _description = "Customer Register"
    _register_model = 'res.partner'  # what is printed: customers, or salespeople (below)

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group('custmgmt_addon.group_custmgmt_user'):
            raise AccessError(_("Only customer management users can print a customer register."))
        model = self._register_model
        Partner = self.env['res.partner']
        if model == 'res.users':
            users = self.env['res.users'].browse(docids).exists()
            partners = Partner.search([('user_id', 'in', users.ids), ('parent_id', '=', False),
                                       ('is_company', '=', True)])
        else:
            partners = Partner.browse(docids).exists()
            partners.check_access('read')
            users = partners.user_id
        sheets = []
        for user in users.sorted('name'):
            customers = partners.filtered(lambda p, u=user: p.user_id == u)
            sheets.append((user, self._sorted_by_route(customers)))
        unassigned = partners.filtered(lambda p: not p.user_id)
        if unassigned:
            sheets.append((self.env['res.users'], self._sorted_by_route(unassigned)))
        weekdays = dict(Partner._fields['custmgmt_visit_weekday']._description_selection(self.env))
        return {
            'doc_ids': docids,
            'doc_model': model,
            'docs': partners,
            'sheets': sheets,
            'weekdays': weekdays,
            'company': self.env.company,
            'today': fields.Date.context_today(self),
        }

    @api.model
    def _sorted_by_route(self, partners):
        """Route order first (customers without one last), then name."""
        return partners.sorted(lambda p: (not p.custmgmt_route_sequence, p.custmgmt_route_sequence or 0,
                                          (p.name or '').lower()))


class ReportCustmgmtCustomerRegisterUser(models.AbstractModel):
    """The customer register printed from salespeople: each one's customers."""
    _name = 'report.custmgmt_addon.report_customer_register_user'
    _inherit = 'report.custmgmt_addon.report_customer_register'
    _description = "Customer Register of Salespeople"
    _register_model = 'res.users'


class ReportCustmgmtDunningLetter(models.AbstractModel):
    """The dunning letter (催款函) of the customer's current level in the current
    company, in the customer's language, with the overdue items it is about:
    attached as PDF to the letter mail by the collection matrix."""
    _name = 'report.custmgmt_addon.report_dunning_letter'
    _description = "Dunning Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env['res.partner'].browse(docids).exists()
        company = self.env.company
        today = fields.Date.context_today(self)
        self.env['account.move.line'].flush_model()
        items = {}
        for partner_id, move_name, due, residual in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, move.name, COALESCE(line.date_maturity, line.date),
                   line.amount_residual
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE %(overdue)s
               AND line.company_id = %(company)s AND partner.commercial_partner_id = ANY(%(ids)s)
          ORDER BY 3, 2
            """, overdue=overdue_item(today), company=company.id, ids=partners.ids)):
            items.setdefault(partner_id, []).append((move_name, due, (today - due).days, residual))
        levels = {partner.id: partner.sudo().with_company(company).custmgmt_dunning_level or 1
                  for partner in partners}
        return {
            'doc_ids': partners.ids,
            'doc_model': 'res.partner',
            'docs': partners,
            'items': items,
            'levels': levels,
            'company': company,
            'currency': company.currency_id,
            'today': today,
        }
