from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustmgmtCreditCommon


@tagged('post_install', '-at_install')
class TestCollectionMatrix(CustmgmtCreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls.finance
        cls.company.sudo().write({'custmgmt_collection_user_id': cls.collector.id,
                                  'custmgmt_finance_manager_id': cls.manager.id})
        cls.customers = {}
        specs = {  # quadrant: (overdue amount, invoice date = due date)
            'short_small': (500, '2026-11-14'),
            'long_small': (500, '2026-09-15'),
            'short_large': (20000, '2026-11-14'),
            'long_large': (20000, '2026-09-15'),
        }
        for quadrant, (amount, day) in specs.items():
            customer = cls._customer(f"{quadrant} Co", user_id=cls.salesman.id, email=f'{quadrant}@example.com')
            cls.env['res.partner'].create({'name': 'Accounts payable', 'parent_id': customer.id, 'type': 'invoice',
                                           'email': f'ap.{quadrant}@example.com'})
            cls._invoices([(customer, day, amount)])
            cls.customers[quadrant] = customer

    def _activities(self, customer):
        return self.env['mail.activity'].sudo().search([('res_model', '=', 'res.partner'), ('res_id', '=', customer.id)])

    def _run(self, day, **kwargs):
        with freeze_time(day):
            return self.env['custmgmt.collection']._run(self.company, today=date.fromisoformat(day), **kwargs)

    def _letters(self, customer):
        return self.env['mail.mail'].sudo().search([('model', '=', 'res.partner'), ('res_id', '=', customer.id)])

    def test_each_quadrant_and_idempotence(self):
        self._run('2026-11-24')
        ref = self.env.ref
        expected = {
            'short_small': {(self.collector, ref('custmgmt_addon.mail_activity_type_payment_reminder'))},
            'long_small': set(),
            'short_large': {(self.salesman, ref('custmgmt_addon.mail_activity_type_collection_visit'))},
            'long_large': {(self.salesman, ref('custmgmt_addon.mail_activity_type_special_measures')),
                           (self.manager, ref('custmgmt_addon.mail_activity_type_special_measures'))},
        }
        for quadrant, pairs in expected.items():
            activities = self._activities(self.customers[quadrant])
            self.assertEqual({(a.user_id, a.activity_type_id) for a in activities}, pairs, quadrant)
        reminder = self._activities(self.customers['short_small'])
        self.assertEqual(reminder.res_name, self.customers['short_small'].display_name, "it names its customer")
        self.assertIn('/odoo/action-custmgmt_addon.custmgmt_overdue_list_action', str(reminder.note))
        self.assertFalse(reminder.date_done)
        dunned = self.customers['long_small'].with_company(self.company).sudo()
        self.assertEqual(dunned.custmgmt_dunning_level, 1)
        letter = dunned.message_ids.filtered(lambda m: 'overdue invoices' in (m.subject or ''))
        self.assertEqual(len(letter), 1)
        self.assertIn('ap.long_small@example.com', self._letters(dunned).recipient_ids.mapped('email'))
        self.assertEqual(self.customers['short_small'].with_company(self.company).sudo().custmgmt_dunning_level, 0)

        count = self.env['mail.activity'].sudo().search_count([('res_model', '=', 'res.partner')])
        self._run('2026-11-24')
        self.assertEqual(self.env['mail.activity'].sudo().search_count([('res_model', '=', 'res.partner')]), count,
                         "a second run creates nothing")
        self.assertEqual(len(dunned.message_ids.filtered(lambda m: 'overdue invoices' in (m.subject or ''))), 1)
        # the next level comes only after the dunning interval (15 days)
        self._run('2026-12-05')
        self.assertEqual(dunned.custmgmt_dunning_level, 1)
        self._run('2026-12-10')
        self.assertEqual(dunned.custmgmt_dunning_level, 2)
        self.assertTrue(dunned.message_ids.filtered(lambda m: 'second notice' in (m.subject or '')))

    def test_activities_speak_their_assignees_language(self):
        self._load_chinese()
        self.collector.lang = 'zh_CN'
        self._run('2026-11-24')
        reminder = self._activities(self.customers['short_small'])  # the collector's
        self.assertEqual(reminder.user_id, self.collector)
        self.assertEqual(reminder.summary, f"{self.company.name} 的逾期应收账款")
        self.assertIn("打开逾期明细", str(reminder.note))
        visit = self._activities(self.customers['short_large'])  # the salesperson's, in English
        self.assertEqual(visit.user_id, self.salesman)
        self.assertEqual(visit.summary, f"Overdue receivables in {self.company.name}")
        self.assertIn("Open the overdue items", str(visit.note))

    def test_paid_customers_are_closed_and_reset(self):
        self._run('2026-11-24')
        for quadrant in ('short_small', 'long_small'):
            customer = self.customers[quadrant]
            invoice = self.env['account.move'].search([('partner_id', '=', customer.id)])
            self._pay(invoice, date='2026-11-25')
        self._run('2026-11-26')
        self.assertFalse(self._activities(self.customers['short_small']), "its reminder is closed")
        done = self.env['mail.message'].sudo().search([
            ('model', '=', 'res.partner'), ('res_id', '=', self.customers['short_small'].id),
            ('mail_activity_type_id', '!=', False)])
        self.assertIn('No longer overdue', done[0].body)
        self.assertEqual(self.customers['long_small'].with_company(self.company).sudo().custmgmt_dunning_level, 0)
        self.assertTrue(self._activities(self.customers['long_large']), "the others still owe")

    def test_scheduled_action_exists_daily(self):
        cron = self.env.ref('custmgmt_addon.ir_cron_collection')
        self.assertEqual((cron.interval_number, cron.interval_type), (1, 'days'))

    def test_activity_kept_while_another_company_is_owed(self):
        self._run('2026-11-24')
        company_2 = self.setup_other_company()['company']
        customer = self.customers['short_large']
        self._invoices([(customer, '2026-11-01', 700, {'company': company_2})])
        invoice = self.env['account.move'].search([('partner_id', '=', customer.id), ('company_id', '=', self.company.id)])
        self._pay(invoice, date='2026-11-25')
        self._run('2026-11-26')
        self.assertTrue(self._activities(customer), "still overdue in company 2: the activity stays open")

    def test_letter_is_queued_to_the_invoicing_contact_and_logged(self):
        customer = self.customers['long_small']
        customer.name = 'long_small Co & <Sons>'
        self._run('2026-11-24')
        mail = self._letters(customer)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids.mapped('email'), ['ap.long_small@example.com'])
        self.assertEqual(mail.state, 'outgoing', "left to the mail queue")
        self.assertIn('overdue invoices', mail.subject)
        self.assertIn('Dear long_small Co &amp; &lt;Sons&gt;,', str(mail.body_html), "the name is escaped")
        self.assertIn(mail.mail_message_id, customer.message_ids, "logged in the customer's chatter")
        self.assertFalse(self._letters(self.customers['long_large']), "long and large: special measures, no letter")

    def test_letter_in_the_customers_language(self):
        self._load_chinese()
        customer = self.customers['long_small']
        customer.lang = 'zh_CN'
        self._run('2026-11-24')
        body = str(self._letters(customer).body_html)
        self.assertIn('尊敬的long_small Co：', body)
        self.assertIn('2026年09月15日', body, "its overdue item dated as its language writes dates")

    def test_dunning_level_stops_at_three(self):
        customer = self.customers['long_small'].with_company(self.company).sudo()
        for day, level in (('2026-11-24', 1), ('2026-12-09', 2), ('2026-12-24', 3), ('2027-01-08', 3)):
            self._run(day)
            self.assertEqual(customer.custmgmt_dunning_level, level, day)
        self.assertEqual(len(self._letters(customer)), 3)
        self.assertEqual(str(customer.custmgmt_dunning_date), '2026-12-24')

    def test_an_interrupted_run_is_finished_by_the_next_call(self):
        done, remaining = self._run('2026-11-24', max_seconds=0)
        self.assertEqual((done, remaining), (4, 1), "the activities batch is done, the letters batch remains")
        self.assertFalse(self._letters(self.customers['long_small']))
        done, remaining = self._run('2026-11-24', max_seconds=0)
        self.assertEqual((done, remaining), (1, 0), "only the letter was left")
        self.assertEqual(len(self._letters(self.customers['long_small'])), 1)
        self.assertEqual(self._run('2026-11-24'), (0, 0), "nothing left to do")

    def test_the_scheduled_action_runs_every_company(self):
        with freeze_time('2026-11-24'):
            self.env['custmgmt.collection']._cron_run()
        self.assertEqual(len(self._activities(self.customers['long_large'])), 2)
        self.assertEqual(len(self._letters(self.customers['long_small'])), 1)
