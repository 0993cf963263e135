import ast
from datetime import date
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models import custmgmt_warning_engine as engine_module
from .test_warning import WarningCommon

TODAY = '2026-11-24'


@tagged('post_install', '-at_install')
class TestWarningFlow(WarningCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.others = cls._customer("Otto's Customer", user_id=cls.other.id)
        for customer in (cls.customer, cls.others):
            customer.with_company(cls.company).sudo().credit_limit = 1000.0

    def _setup_warnings(self):
        self._only('credit', 'churn')
        self._invoices([(customer, day, 950.0, {'due': '2026-12-31'})
                        for customer in (self.customer, self.others) for day in ('2026-05-01', '2026-06-01')])
        self._scan()
        return self._warnings()

    def test_access_per_group(self):
        warnings = self._setup_warnings()
        self.assertEqual(len(warnings), 4, "credit and churn for both customers")
        mine = warnings.filtered(lambda w: w.partner_id == self.customer)
        others = warnings - mine
        Warning = self.Warning
        self.assertEqual(Warning.with_user(self.salesman).search([]), mine)
        self.assertEqual(Warning.with_user(self.leader).search([]), mine, "the team leader: the team's customers")
        self.assertEqual(Warning.with_user(self.manager).search([]), warnings)
        self.assertEqual(Warning.with_user(self.finance).search([]),
                         warnings.filtered(lambda w: w.kind == 'credit'), "Finance: payment and credit kinds")
        with self.assertRaises(AccessError):
            others.with_user(self.salesman).read(['explanation'])
        with self.assertRaises(AccessError):
            Warning.with_user(self.plain_user).search([])
        # a user of another company sees none
        company_2 = self.setup_other_company()['company']
        stranger = new_test_user(self.env, login='cm_w_stranger', name='Stranger',
                                 groups='base.group_user,sales_team.group_sale_manager',
                                 company_id=company_2.id, company_ids=[Command.set(company_2.ids)])
        self.assertFalse(Warning.with_user(stranger).search([]))

    def test_acknowledge_resolve_and_guard(self):
        warnings = self._setup_warnings()
        warning = warnings.filtered(lambda w: w.partner_id == self.customer and w.kind == 'credit')
        mine = warning.with_user(self.salesman)
        with self.assertRaises(UserError):
            mine.write({'severity': 'info'})
        mine.action_acknowledge()
        warning.invalidate_recordset()
        self.assertEqual(warning.state, 'acknowledged')
        self.assertEqual(warning.activity_ids.user_id, self.leader | self.finance,
                         "over the limit (critical): leader and Finance told; the salesman's activity is done")
        with self.assertRaises(UserError):
            mine.action_resolve()
        mine.resolution_note = "Customer paid a deposit"
        mine.action_resolve()
        self.assertEqual(warning.state, 'resolved')
        self.assertFalse(warning.activity_ids)
        # resolved by hand while the condition still holds: no second warning
        self._scan()
        self.assertEqual(len(self._warnings(self.customer, 'credit')), 1)

    def test_switched_off_kind_closes_its_warnings(self):
        warnings = self._setup_warnings()
        self._only('churn')
        self._scan()
        self.assertEqual(set(warnings.filtered(lambda w: w.kind == 'credit').mapped('state')), {'closed'})
        self.assertEqual(set(warnings.filtered(lambda w: w.kind == 'churn').mapped('state')), {'open'})

    def test_customer_without_salesperson_and_partner_counts(self):
        self._only('credit')
        orphan = self._customer("Orphan Co")
        orphan.with_company(self.company).sudo().credit_limit = 100.0
        self._invoice('2026-11-20', 150.0, due='2026-12-20', partner=orphan)
        self._scan()
        warning = self._warnings(orphan, 'credit')
        self.assertEqual((warning.severity, warning.user_id), ('critical', self.finance),
                         "no salesperson and no team: the collection user alone")
        customer = orphan.with_user(self.manager).with_company(self.company)
        self.assertEqual((customer.custmgmt_warning_count, customer.custmgmt_warning_critical_count), (1, 1))

    def test_unique_live_warning_is_enforced(self):
        warnings = self._setup_warnings()
        warning = warnings[0]
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint(), mute_logger('odoo.sql_db'):
            self.Warning.sudo().create({'partner_id': warning.partner_id.id, 'company_id': self.company.id,
                                        'kind': warning.kind, 'severity': 'info'})


@tagged('post_install', '-at_install')
class TestWarningJob(WarningCommon):

    def _two_credit_warnings(self):
        self._only('credit')
        second = self._customer("Second Co", user_id=self.salesman.id)
        for customer in (self.customer, second):
            customer.with_company(self.company).sudo().credit_limit = 100.0
            self._invoice('2026-11-20', 95.0, due='2026-12-20', partner=customer)

    def test_interrupted_scan_resumes(self):
        self._two_credit_warnings()
        with patch.object(engine_module, 'WARNING_BATCH', 1), freeze_time(TODAY):
            Engine = self.env['custmgmt.warning.engine']
            self.assertEqual(Engine._scan(self.company, today=date(2026, 11, 24), max_seconds=0), (1, 1),
                             "the time budget is spent after the first batch")
            self.assertEqual(len(self._warnings(kind='credit')), 1)
            self.assertEqual(Engine._scan(self.company, today=date(2026, 11, 24)), (1, 0), "the next call finishes")
            self.assertEqual(Engine._scan(self.company, today=date(2026, 11, 24)), (0, 0))
        self.assertEqual(len(self._warnings(kind='credit')), 2)

    def test_scheduled_action_and_settings_button(self):
        self._two_credit_warnings()
        with freeze_time(TODAY):
            self.env['custmgmt.warning.engine']._cron_scan()
            self.assertEqual(len(self._warnings(kind='credit')), 2)
            self.assertEqual(self.company.custmgmt_warn_last_run_date, date(2026, 11, 24))
            settings = self.env['res.config.settings'].with_user(self.sysadmin).create({})
            settings.action_custmgmt_scan_warnings()
            self.assertEqual(len(self._warnings(kind='credit')), 2, "a second run makes nothing")
            with self.assertRaises(AccessError):
                self.env['res.config.settings'].with_user(self.salesman).action_custmgmt_scan_warnings()

    def test_leader_alone_without_salesperson_and_user_of_another_company(self):
        self._only('key_decline')
        # the salesperson left the company: the warning goes to nobody of theirs, the leader of an A customer
        # still hears of it
        outsider = new_test_user(self.env, login='cm_w_outsider', name='Out Sider',
                                 groups='base.group_user,sales_team.group_sale_salesman',
                                 company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.env['crm.team.member'].create({'crm_team_id': self.team.id, 'user_id': outsider.id})
        customer = self._tiered_customer("Strategic Co", 'a', user_id=outsider.id)
        self._invoices([(customer, '2026-06-10', 1000.0), (customer, '2026-09-10', 100.0)])
        company_2 = self.setup_other_company()['company']
        outsider.sudo().write({'company_ids': [Command.set(company_2.ids)], 'company_id': company_2.id})
        self._scan()
        warning = self._warnings(customer, 'key_decline')
        self.assertEqual(warning.activity_ids.user_id, self.leader, "only users of the company are told")
        self.assertEqual(warning.user_id, self.leader)

    def test_my_open_warnings_filter_of_the_leader(self):
        self._only('key_decline')
        customer = self._tiered_customer("Strategic Co", 'a', user_id=self.salesman.id)
        self._invoices([(customer, '2026-06-10', 1000.0), (customer, '2026-09-10', 100.0)])
        self._scan()
        action = self.env['ir.actions.act_window']._for_xml_id('custmgmt_addon.custmgmt_warning_action')
        self.assertEqual(action['context'], "{'search_default_my_open': 1}")
        search_view = self.env.ref('custmgmt_addon.custmgmt_warning_view_search')
        node = etree.fromstring(search_view.arch).xpath("//filter[@name='my_open']")[0]
        for user in (self.salesman, self.leader):
            domain = ast.literal_eval(node.get('domain').replace('uid', str(user.id)))
            self.assertEqual(self.Warning.with_user(user).search(domain).partner_id, customer,
                             f"{user.name} finds the warning under My Open Warnings")
        self.assertFalse(self.Warning.with_user(self.other).search([]))
