from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import freeze_time, new_test_user, tagged

from ..models import custmgmt_pareto
from .common import CustmgmtCreditCommon


class OverviewData:
    """Customers of two salespeople of one team and of a colleague outside
    it, each with what a tile counts: a tier and its average, an overdue
    invoice, a late complaint and a visit planned today."""

    @classmethod
    def _overview_users(cls):
        groups = 'base.group_user,base.group_partner_manager,sales_team.group_sale_salesman'
        cls.leader = new_test_user(cls.env, login='cm_leader', name='Lea Leader', groups=groups,
                                   company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.colleague = new_test_user(cls.env, login='cm_colleague', name='Cole Colleague', groups=groups,
                                      company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.team = cls.env['crm.team'].create({
            'name': 'Tour Team', 'user_id': cls.leader.id, 'company_id': cls.company.id,
            'crm_team_member_ids': [Command.create({'user_id': cls.salesman.id})],
        })

    @classmethod
    def _overview_customer(cls, name, tier, average, user, overdue=0.0, complaint=True, visit=True):
        customer = cls._tiered_customer(name, tier, user_id=user.id)
        customer.with_company(cls.company).sudo().write({'custmgmt_tier_monthly_average': average})
        today = fields.Date.today()
        if overdue:
            cls._invoices([(customer, today - timedelta(days=120), overdue, {'due': today - timedelta(days=100)})])
        if complaint:
            cls.env['custmgmt.complaint'].sudo().create({
                'subject': f'Tour late complaint of {name}', 'partner_id': customer.id,
                'company_id': cls.company.id, 'date_received': fields.Datetime.now() - timedelta(days=10)})
        if visit:
            cls.env['custmgmt.visit'].sudo().create({
                'partner_id': customer.id, 'company_id': cls.company.id, 'date': today, 'user_id': user.id})
        return customer


@tagged('post_install', '-at_install')
class TestOverview(OverviewData, CustmgmtCreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._overview_users()
        cls.company.custmgmt_tier_last_run_date = fields.Date.today()
        cls.alpha = cls._overview_customer('Own Alpha', 'a', 50000.0, cls.salesman, overdue=50000.0)
        cls.beta = cls._overview_customer('Own Beta', 'b', 3000.0, cls.salesman, overdue=500.0)
        cls.gamma = cls._overview_customer('Leader Gamma', 'c', 100.0, cls.leader)
        cls.delta = cls._overview_customer('Other Delta', 'a', 40000.0, cls.colleague, overdue=20000.0)

    def _overview(self, user):
        self.env.invalidate_all()
        return self.env['custmgmt.overview'].with_user(user).get_overview()

    @staticmethod
    def _tile(data, key):
        return next((tile for tile in data['tiles'] if tile['key'] == key), None)

    def _values(self, data, key, field='label'):
        return {line[field]: line['value'] for line in self._tile(data, key)['lines']}

    def _open(self, user, action):
        """The records the tile's list shows to ``user``."""
        return self.env[action['res_model']].with_user(user).search(action['domain'])

    def test_scope_per_role(self):
        """A salesperson counts their customers, a team leader the team's, a
        Manager and Finance all; each figure opens the list of what it counts."""
        expected = {
            self.salesman: ('own', {'a': 1, 'b': 1, 'c': 0}, 2),
            self.leader: ('team', {'a': 1, 'b': 1, 'c': 1}, 3),
            self.manager: ('all', {'a': 2, 'b': 1, 'c': 1}, 4),
            self.finance: ('all', {'a': 2, 'b': 1, 'c': 1}, None),
        }
        for user, (scope, tiers, visits) in expected.items():
            with self.subTest(user=user.login):
                data = self._overview(user)
                self.assertEqual(data['scope'], scope)
                tile = self._tile(data, 'tiers')
                counts = {line['tier']: line['value'] for line in tile['lines'] if line.get('tier')}
                self.assertEqual(counts, tiers)
                for line in tile['lines'][:3]:
                    self.assertEqual(len(self._open(user, line['action'])), line['value'])
                if visits is not None:
                    due = self._tile(data, 'visits')['lines'][0]
                    self.assertEqual(due['value'], visits)
                    self.assertEqual(len(self._open(user, due['action'])), visits)

    def test_overdue_quadrants_follow_the_collection_matrix(self):
        """Long (≥ 60 days) and large (≥ 10,000) per customer, as the matrix decides."""
        data = self._overview(self.manager)
        amounts = {line['quadrant']: line['value'] for line in self._tile(data, 'overdue')['lines']}
        self.assertEqual(amounts, {'long_large': 70000.0, 'long_small': 500.0, 'short_large': 0.0,
                                   'short_small': 0.0})
        own = {line['quadrant']: line['value'] for line in self._tile(self._overview(self.salesman), 'overdue')['lines']}
        self.assertEqual(own['long_large'], 50000.0)
        line = next(line for line in self._tile(data, 'overdue')['lines'] if line['quadrant'] == 'long_large')
        self.assertEqual(set(self._open(self.manager, line['action']).partner_id.ids), {self.alpha.id, self.delta.id})

    def test_complaints_by_department_and_late(self):
        data = self._overview(self.salesman)
        lines = self._tile(data, 'complaints')['lines']
        self.assertEqual(sum(line['value'] for line in lines), 2)
        self.assertEqual(sum(line['alert'] for line in lines), 2)  # an A complaint is due in a day, a B in two
        late = self._open(self.salesman, lines[0]['alert_action'])
        self.assertEqual(set(late.partner_id.ids), {self.alpha.id, self.beta.id})

    def test_tier_moves_of_the_last_recompute(self):
        today = fields.Date.today()
        History = self.env['custmgmt.tier.history'].sudo()
        for partner, old, new, date in ((self.alpha, 'b', 'a', today), (self.beta, 'a', 'b', today),
                                        (self.delta, 'c', 'a', today - timedelta(days=31)),
                                        (self.gamma, False, 'c', today)):
            History.create({'partner_id': partner.id, 'company_id': self.company.id, 'old_tier': old,
                            'new_tier': new, 'date': date, 'reason': 'recompute'})
        data = self._overview(self.manager)
        moves = {line['move']: line for line in self._tile(data, 'tiers')['lines'] if line.get('move')}
        self.assertEqual((moves['up']['value'], moves['down']['value']), (1, 1))
        self.assertEqual(self._open(self.manager, moves['up']['action']).partner_id, self.alpha)
        self.assertEqual(self._open(self.manager, moves['down']['action']).partner_id, self.beta)

    def test_tiles_of_missing_features_are_hidden(self):
        keys = {tile['key'] for tile in self._overview(self.manager)['tiles']}
        self.assertTrue({'tiers', 'overdue', 'credit', 'complaints', 'visits', 'satisfaction'} <= keys)
        for model, key in (('custmgmt.warning', 'warnings'), ('custmgmt.evaluation', 'evaluations')):
            self.assertEqual(key in keys, model in self.env)

    def test_company_switcher(self):
        """Only the companies selected count: a customer tiered in another company is left out."""
        other = self.setup_other_company()['company']
        self._tiered_customer('Elsewhere', 'a', company=other, user_id=self.salesman.id)
        self.manager.company_ids = [Command.link(other.id)]
        overview = self.env['custmgmt.overview'].with_user(self.manager)
        count = lambda env_overview: next(line['value'] for line in self._tile(env_overview.get_overview(), 'tiers')[  # noqa: E731
            'lines'] if line.get('tier') == 'a')
        self.assertEqual(count(overview.with_context(allowed_company_ids=self.company.ids)), 2)
        self.assertEqual(count(overview.with_context(allowed_company_ids=[self.company.id, other.id])), 3)
        self.assertEqual(count(overview.with_context(allowed_company_ids=other.ids)), 1)

    @freeze_time('2026-12-15 10:00:00')
    def test_satisfaction_months_read_as_months(self):
        tile = self._tile(self.env['custmgmt.overview'].with_user(self.manager).get_overview(), 'satisfaction')
        self.assertEqual(len(tile['series']), 12)
        self.assertEqual(tile['subtitle'], "Jan – Dec 2026")
        self._load_chinese()
        self.env.invalidate_all()
        tile = self._tile(self.env['custmgmt.overview'].with_user(self.manager).with_context(
            lang='zh_CN').get_overview(), 'satisfaction')
        self.assertEqual(tile['subtitle'], "2026年1月–12月")
        self.assertEqual(tile['series'][-1]['title'], "2026年12月")

    def _more_customers(self, count, user):
        return [self._overview_customer(f'Bulk {user.login} {n}', 'c', 10.0 + n, user, overdue=100.0 + n)
                for n in range(count)]

    def test_query_count_does_not_grow_with_customers(self):
        """N and 3N customers (8 and 24), each in every tile: the same number of queries."""
        # measured on Odoo 18.0 with the addon alone; when the warnings or the evaluations
        # are installed their tiles add queries: then 3N must cost what N cost
        expected = {self.manager: 24, self.leader: 27, self.salesman: 25}
        measured = 'custmgmt.warning' in self.env or 'custmgmt.evaluation' in self.env
        for user in expected:
            self._overview(user)  # the access rules and the actions are cached once
        for step in (4, 16):  # the class has 4 customers: 8, then 24
            self._more_customers(step // 2, self.salesman)
            self._more_customers(step // 2, self.colleague)
            for user, queries in expected.items():
                with self.subTest(user=user.login, customers=step):
                    self.env.flush_all()
                    self.env.cr.precommit.run()  # the notifications of the records just made
                    self.env.invalidate_all()
                    overview = self.env['custmgmt.overview'].with_user(user)
                    if measured and step == 4:
                        count0 = self.cr.sql_log_count
                        overview.get_overview()
                        expected[user] = self.cr.sql_log_count - count0
                        continue
                    with self.assertQueryCount(queries):
                        overview.get_overview()
        self.assertEqual(next(line['value'] for line in self._tile(self._overview(self.manager), 'tiers')['lines']
                              if line.get('tier') == 'c'), 21)


@tagged('post_install', '-at_install')
class TestPareto(OverviewData, CustmgmtCreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._overview_users()
        cls.customers = [cls._overview_customer(name, tier, average, user, complaint=False, visit=False)
                         for name, tier, average, user in (
                             ('P1', 'a', 800.0, cls.salesman), ('P2', 'a', 100.0, cls.colleague),
                             ('P3', 'b', 50.0, cls.salesman), ('P4', 'c', 40.0, cls.leader),
                             ('P5', 'c', 10.0, cls.salesman), ('P6', 'c', -20.0, cls.colleague))]

    def test_company_chart(self):
        data = self.env['custmgmt.pareto'].with_user(self.manager).get_pareto()
        self.assertEqual(data['scope'], 'company')
        self.assertEqual([p['name'] for p in data['points']], ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'])
        self.assertEqual([p['tier'] for p in data['points']], ['a', 'a', 'b', 'c', 'c', 'c'])
        self.assertEqual(data['points'][0]['share'], 80.0)  # 800 of the 1,000 of positive averages
        self.assertEqual([p['cumulative'] for p in data['points']], [80.0, 90.0, 95.0, 99.0, 100.0, 100.0])
        self.assertEqual(data['policy']['method'], 'pareto')
        self.assertEqual((data['policy']['a_share'], data['policy']['b_share']), (80.0, 95.0))
        self.assertEqual(data['points'][0]['id'], self.customers[0].id)

    def test_salesperson_and_team(self):
        Overview = self.env['custmgmt.pareto']
        own = Overview.with_user(self.salesman).get_pareto()
        self.assertEqual((own['scope'], own['res_id']), ('user', self.salesman.id))
        self.assertEqual([p['name'] for p in own['points']], ['P1', 'P3', 'P5'])
        self.assertEqual(own['points'][-1]['cumulative'], 100.0)
        team = Overview.with_user(self.leader).get_pareto()
        self.assertEqual((team['scope'], team['res_id']), ('team', self.team.id))
        self.assertEqual([p['name'] for p in team['points']], ['P1', 'P3', 'P4', 'P5'])
        picked = Overview.with_user(self.manager).get_pareto('user', self.colleague.id)
        self.assertEqual([p['name'] for p in picked['points']], ['P2', 'P6'])

    def test_tail_grouped(self):
        with patch.object(custmgmt_pareto, 'PARETO_BARS', 3):
            data = self.env['custmgmt.pareto'].with_user(self.manager).get_pareto()
        self.assertEqual([p['name'] for p in data['points']], ['P1', 'P2', 'Others (4)'])
        others = data['points'][-1]
        self.assertEqual((others['id'], others['count'], others['average']), (None, 4, 80.0))
        self.assertEqual(others['cumulative'], 100.0)
        self.assertEqual(data['customers'], 6)
