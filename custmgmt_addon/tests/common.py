from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CustmgmtUsersMixin:
    """Users of each group in ``cls.company``, customers, and the Chinese
    translations: what every test base of the addon shares."""

    @classmethod
    def _setup_custmgmt_users(cls):
        company_vals = {'company_id': cls.company.id, 'company_ids': [Command.set(cls.company.ids)]}
        cls.salesman = new_test_user(
            cls.env, login='cm_salesman', name='Sally Sales',
            groups='base.group_user,base.group_partner_manager,sales_team.group_sale_salesman', **company_vals)
        cls.owner = new_test_user(
            cls.env, login='cm_owner', name='Olga Owner',
            groups='base.group_user,base.group_partner_manager,custmgmt_addon.group_custmgmt_user', **company_vals)
        cls.manager = new_test_user(
            cls.env, login='cm_manager', name='Mona Manager',
            groups='base.group_user,base.group_partner_manager,sales_team.group_sale_manager', **company_vals)
        cls.sysadmin = new_test_user(
            cls.env, login='cm_sysadmin', name='Sam Settings',
            groups='base.group_user,base.group_system,custmgmt_addon.group_custmgmt_manager', **company_vals)
        cls.plain_user = new_test_user(
            cls.env, login='cm_plain', name='Paul Plain', groups='base.group_user', **company_vals)

    @classmethod
    def _load_chinese(cls):
        """Activate zh_CN and zh_TW and load the addon's translations of them."""
        for lang in ('zh_CN', 'zh_TW'):
            cls.env['res.lang'].sudo()._activate_lang(lang)
        cls.env['ir.module.module'].sudo()._load_module_terms(['custmgmt_addon'], ['zh_CN', 'zh_TW'])

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env['res.partner'].create(dict({'name': name, 'is_company': True}, **vals))

    @classmethod
    def _tiered_customer(cls, name, tier, company=None, **vals):
        """A customer of ``tier`` in ``company`` (written as a Manager would, past the tier guard)."""
        customer = cls._customer(name, **vals)
        customer.with_company(company or cls.company).sudo().write({'custmgmt_tier': tier})
        return customer


class CustmgmtLightCommon(CustmgmtUsersMixin, TransactionCase):
    """The users and customers without a chart of accounts: for the records
    that need no accounting (objections, disputes, the archive)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls._setup_custmgmt_users()


class CustmgmtCommon(CustmgmtUsersMixin, AccountTestInvoicingCommon):
    """Companies with a chart of accounts, customers and users of each group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data['company']
        cls._setup_custmgmt_users()

    @classmethod
    def _invoices(cls, specs, post=True):
        """Create invoices in one batch.

        :param specs: iterable of ``(partner, 'YYYY-MM-DD', untaxed amount)`` or
            ``(partner, date, amount, options)`` with options among ``move_type``,
            ``company``, ``currency``, ``due``.
        """
        by_company = {}
        for spec in specs:
            partner, date, amount = spec[:3]
            options = spec[3] if len(spec) > 3 else {}
            company = options.get('company', cls.company)
            vals = {
                'move_type': options.get('move_type', 'out_invoice'),
                'partner_id': partner.id,
                'invoice_date': date,
                'date': date,
                'invoice_date_due': options.get('due', date),  # immediate payment unless told
                'invoice_line_ids': [Command.create({
                    'name': 'goods', 'quantity': 1, 'price_unit': amount, 'tax_ids': [],
                })],
            }
            if options.get('currency'):
                vals['currency_id'] = options['currency'].id
            by_company.setdefault(company, []).append(vals)
        moves = cls.env['account.move']
        for company, vals_list in by_company.items():
            moves |= cls.env['account.move'].with_company(company).create(vals_list)
        if post:
            moves.action_post()
        return moves


class CustmgmtCreditCommon(CustmgmtCommon):
    """A Finance user, a customer of the salesman, and one-line invoices,
    payments and orders for the credit and receivables tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env, login='cm_finance', name='Fiona Finance',
            groups='base.group_user,custmgmt_addon.group_custmgmt_finance',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.customer = cls._customer("Credit Co", user_id=cls.salesman.id)

    def _invoice(self, date, amount, due=None, partner=None, move_type='out_invoice', currency=None, post=True,
                 company=None):
        """One invoice (or refund) of ``amount`` untaxed, due on ``due`` (default: its date)."""
        options = {'move_type': move_type, 'due': due or date, 'company': company or self.company}
        if currency:
            options['currency'] = currency
        return self._invoices([(partner or self.customer, date, amount, options)], post=post)

    def _pay(self, invoice, amount=None, date=None):
        """Register a payment of ``amount`` (in the invoice's currency; all that
        is due when None) on ``date``."""
        vals = {'payment_date': date} if date else {}
        if amount is not None:
            vals['amount'] = amount
        self.env['account.payment.register'].with_context(
            active_model='account.move', active_ids=invoice.ids).create(vals)._create_payments()

    def _order(self, amount, partner=None, taxes=None, user=None):
        """A quotation of one line of ``amount`` untaxed (no tax unless given), by the salesman."""
        return self.env['sale.order'].with_user(user or self.salesman).create({
            'partner_id': (partner or self.customer).id,
            'order_line': [Command.create({'product_id': self.product_a.id, 'product_uom_qty': 1,
                                           'price_unit': amount,
                                           'tax_id': [Command.set(taxes.ids if taxes else [])]})],
        })
