from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.res_company_warning import WARNING_SWITCH_FIELDS
from ..rules.tiers import TierChange
from .common import CustmgmtCreditCommon

TODAY = '2026-11-24'


class WarningCommon(CustmgmtCreditCommon):
    """A sales team (leader + the salesman), a collection user, another
    salesperson, and a scan on a frozen date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {'company_id': cls.company.id, 'company_ids': [Command.set(cls.company.ids)]}
        cls.leader = new_test_user(cls.env, login='cm_w_leader', name='Lee Leader',
                                   groups='base.group_user,sales_team.group_sale_salesman', **common)
        cls.other = new_test_user(cls.env, login='cm_w_other', name='Otto Other',
                                  groups='base.group_user,sales_team.group_sale_salesman', **common)
        cls.team = cls.env['crm.team'].create({'name': 'East', 'user_id': cls.leader.id, 'company_id': cls.company.id})
        cls.env['crm.team.member'].create({'crm_team_id': cls.team.id, 'user_id': cls.salesman.id})
        cls.company.sudo().custmgmt_collection_user_id = cls.finance
        # only the kind under test is switched on in each test (see _only)
        cls.Warning = cls.env['custmgmt.warning']

    def _only(self, *kinds):
        self.company.sudo().write({fname: kind in kinds for kind, fname in WARNING_SWITCH_FIELDS.items()})

    def _scan(self, day=TODAY):
        with freeze_time(day):
            return self.env['custmgmt.warning.engine']._scan(self.company, today=date.fromisoformat(day))

    def _warnings(self, customer=None, kind=None, **domain):
        search = [('company_id', '=', self.company.id)] + [(k, '=', v) for k, v in domain.items()]
        if customer:
            search.append(('partner_id', '=', customer.id))
        if kind:
            search.append(('kind', '=', kind))
        return self.Warning.search(search)

    def _told(self, warning):
        return warning.activity_ids.user_id


@tagged('post_install', '-at_install')
class TestWarningKinds(WarningCommon):

    # 1 ------------------------------------------------------------------
    def test_key_decline_fires_at_the_threshold_not_below(self):
        self._only('key_decline')
        at = self._tiered_customer("At Threshold", 'a', user_id=self.salesman.id)
        above = self._tiered_customer("Just Above", 'b', user_id=self.salesman.id)
        general = self._tiered_customer("General Co", 'c', user_id=self.salesman.id)
        self._invoices([(customer, '2026-06-10', 1000.0) for customer in (at, above, general)]
                       + [(at, '2026-09-10', 700.0), (above, '2026-09-10', 701.0), (general, '2026-09-10', 100.0)])
        self._scan()
        warning = self._warnings(kind='key_decline')
        self.assertEqual(warning.partner_id, at, "30 % down fires; 29.9 % and a C customer do not")
        self.assertEqual((warning.severity, warning.current_value, warning.reference_value, warning.threshold),
                         ('critical', 700.0, 1000.0, 30.0))
        self.assertIn("30 %", warning.explanation)
        self.assertEqual(self._told(warning), self.salesman | self.leader, "an A customer: the team leader too")

    def test_key_decline_refund_and_year_before(self):
        self._only('key_decline')
        customer = self._tiered_customer("Refunded", 'b', user_id=self.salesman.id)
        self._invoices([(customer, '2025-09-10', 1000.0), (customer, '2026-09-10', 900.0),
                        (customer, '2026-09-20', 300.0, {'move_type': 'out_refund'})])
        self._scan()
        warning = self._warnings(customer, 'key_decline')
        self.assertEqual((warning.current_value, warning.reference_value), (600.0, 1000.0),
                         "net of the refund, against the same months a year before")
        self.assertEqual(self._told(warning), self.salesman, "a B customer's warning: the salesperson only")

    # 2 ------------------------------------------------------------------
    def test_churn_fires_after_twice_the_usual_interval_and_closes_and_recurs(self):
        self._only('churn')
        start = date(2026, 5, 1)
        self._invoices([(self.customer, (start + timedelta(days=30 * i)).isoformat(), 100.0) for i in range(5)])
        last = start + timedelta(days=120)
        self._scan((last + timedelta(days=60)).isoformat())
        self.assertFalse(self._warnings(kind='churn'), "60 days silent is not longer than 2 x 30")
        day = (last + timedelta(days=61)).isoformat()
        self._scan(day)
        warning = self._warnings(kind='churn')
        self.assertEqual((warning.state, warning.current_value, warning.reference_value, warning.threshold),
                         ('open', 61.0, 30.0, 60.0))
        self.assertEqual(warning.user_id, self.salesman)
        # a second run the same day makes and changes nothing
        written = warning.write_date
        self.assertEqual(self._scan(day), (0, 0))
        self.assertEqual(self._warnings(kind='churn'), warning)
        self.assertEqual(warning.write_date, written)
        # the customer orders again: the warning closes itself with a note, its activity is done
        self._invoices([(self.customer, day, 100.0)])
        self._scan(day)
        self.assertEqual(warning.state, 'closed')
        self.assertIn("no longer holds", warning.resolution_note)
        self.assertFalse(warning.activity_ids)
        # silent again much later: a new warning
        later = (date.fromisoformat(day) + timedelta(days=200)).isoformat()
        self._scan(later)
        self.assertEqual(len(self._warnings(kind='churn')), 2)
        self.assertEqual(len(self._warnings(kind='churn', state='open')), 1)

    def test_churn_one_invoice_only_is_no_risk(self):
        self._only('churn')
        self._invoices([(self.customer, '2025-01-10', 100.0)])
        self._scan()
        self.assertFalse(self._warnings(kind='churn'))

    # 3 ------------------------------------------------------------------
    def _paid_on_time_history(self):
        for day in ('2026-01-10', '2026-02-10', '2026-03-10', '2026-04-10'):
            self._pay(self._invoice(day, 100.0), date=day)

    def test_slow_payment_first_long_overdue(self):
        self._only('slow_payment')
        self._paid_on_time_history()
        self._invoice('2026-09-24', 500.0)
        self._scan('2026-11-23')
        self.assertFalse(self._warnings(kind='slow_payment'), "60 days overdue is not more than 60")
        self._scan('2026-11-24')
        warning = self._warnings(kind='slow_payment')
        self.assertEqual((warning.severity, warning.current_value), ('critical', 61.0))
        self.assertEqual(self._told(warning), self.salesman | self.leader | self.finance,
                         "critical: the leader; a payment kind: the collection user")

    def test_slow_payment_recent_delay(self):
        self._only('slow_payment')
        self._paid_on_time_history()
        late = self._invoice('2026-09-01', 100.0)
        self._pay(late, date='2026-09-19')  # 18 days late: 18 - 3.6 = 14.4 < 15
        self._scan()
        self.assertFalse(self._warnings(kind='slow_payment'))
        other = self._invoice('2026-09-05', 100.0, partner=self._customer("Slow Co", user_id=self.salesman.id))
        for day in ('2026-01-10', '2026-02-10', '2026-03-10', '2026-04-10'):
            self._pay(self._invoice(day, 100.0, partner=other.partner_id), date=day)
        self._pay(other, date='2026-09-24')  # 19 days late: 19 - 3.8 = 15.2
        self._scan()
        warning = self._warnings(kind='slow_payment')
        self.assertEqual((warning.partner_id, warning.severity), (other.partner_id, 'warning'))
        self.assertEqual(self._told(warning), self.salesman | self.finance)

    # 4 ------------------------------------------------------------------
    def _opinion(self, customer, score, day):
        survey = self.env.ref('custmgmt_addon.survey_customer_opinion')
        with freeze_time(day):
            answer = survey.sudo()._create_answer(partner=customer, check_attempts=False)
            answer.write({'state': 'done', 'end_datetime': f'{day} 10:00:00'})
            answer.custmgmt_satisfaction = score
        return answer

    def test_satisfaction_low_or_dropping(self):
        self._only('satisfaction')
        low = self._customer("Low Score", user_id=self.salesman.id)
        drop = self._customer("Dropping", user_id=self.salesman.id)
        fine = self._customer("Fine", user_id=self.salesman.id)
        self._opinion(low, 2.0, '2026-11-01')
        self._opinion(drop, 4.5, '2026-08-01')
        self._opinion(drop, 3.5, '2026-11-01')
        self._opinion(fine, 4.5, '2026-08-01')
        self._opinion(fine, 3.6, '2026-11-01')
        self._scan()
        warnings = self._warnings(kind='satisfaction')
        self.assertEqual(warnings.partner_id, low | drop)
        self.assertEqual(warnings.filtered(lambda w: w.partner_id == low).severity, 'critical')
        # a better answer clears the drop
        self._opinion(drop, 4.5, '2026-11-20')
        self._scan()
        self.assertEqual(self._warnings(drop, 'satisfaction').state, 'closed')

    # 5 ------------------------------------------------------------------
    def _complaint(self, customer, day, category='complaint_category_delivery'):
        with freeze_time(f'{day} 12:00:00'):
            return self.env['custmgmt.complaint'].sudo().create({
                'subject': 'Late again', 'partner_id': customer.id,
                'category_id': self.env.ref(f'custmgmt_addon.{category}').id,
                'date_received': f'{day} 08:00:00', 'company_id': self.company.id})

    def test_complaint_surge_and_quality_from_strategic(self):
        self._only('complaints')
        many = self._customer("Many Complaints", user_id=self.salesman.id)
        two = self._customer("Two Complaints", user_id=self.salesman.id)
        strategic = self._tiered_customer("Strategic", 'a', user_id=self.salesman.id)
        for day in ('2026-10-26', '2026-11-10', '2026-11-20'):
            self._complaint(many, day)
        self._complaint(many, '2026-10-20')  # outside the 30 days
        for day in ('2026-11-10', '2026-11-20'):
            self._complaint(two, day)
        self._complaint(strategic, '2026-11-20', 'complaint_category_product_quality')
        self._scan()
        warnings = self._warnings(kind='complaints')
        self.assertEqual(warnings.partner_id, many | strategic)
        self.assertEqual(warnings.filtered(lambda w: w.partner_id == strategic).severity, 'critical')
        # a month later the surge is over
        self._scan('2026-12-26')
        self.assertEqual(set(warnings.mapped('state')), {'closed'})

    # 6 ------------------------------------------------------------------
    def test_tier_down_by_the_last_recompute(self):
        self._only('tier_down')
        down = self._customer("Down Co", user_id=self.salesman.id)
        up = self._customer("Up Co", user_id=self.salesman.id)
        History = self.env['custmgmt.tier.history'].sudo()
        History._record_changes(self.company, [TierChange(down.id, 'a', 'b', 10.0), TierChange(up.id, 'c', 'b', 1.0)],
                                date(2026, 11, 1), 'recompute')
        self.company.sudo().custmgmt_tier_last_run_date = date(2026, 11, 1)
        self._scan()
        warning = self._warnings(kind='tier_down')
        self.assertEqual((warning.partner_id, warning.severity), (down, 'warning'))
        self.assertIn("from tier A to tier B", warning.explanation)
        # the next recompute leaves it there: no longer news
        self.company.sudo().custmgmt_tier_last_run_date = date(2026, 12, 1)
        self._scan('2026-12-02')
        self.assertEqual(warning.state, 'closed')

    # 7 ------------------------------------------------------------------
    def test_service_gap_after_one_full_interval(self):
        self._only('service_gap')
        customer = self._tiered_customer("Visited Co", 'a', user_id=self.salesman.id)
        visit = self.env['custmgmt.visit'].with_user(self.salesman).create({
            'partner_id': customer.id, 'date': '2026-10-01', 'kind': 'routine', 'next_steps': 'Call back'})
        visit.action_done()
        # interval A = 10 days: due 2026-10-11, overdue by more than 10 days from 2026-10-22 on
        self._scan('2026-10-21')
        self.assertFalse(self._warnings(kind='service_gap'))
        self._scan('2026-10-22')
        warning = self._warnings(kind='service_gap')
        self.assertEqual((warning.current_value, warning.reference_value), (11.0, 10.0))
        with freeze_time('2026-10-23'):
            self.env['custmgmt.visit'].with_user(self.salesman).create({
                'partner_id': customer.id, 'date': '2026-10-23', 'kind': 'routine',
                'next_steps': 'Order next week'}).action_done()
        self._scan('2026-10-23')
        self.assertEqual(warning.state, 'closed')

    # 8 ------------------------------------------------------------------
    def test_stale_archive_and_mark_reviewed(self):
        self._only('stale_archive')
        with freeze_time('2026-01-01'):
            stale = self._tiered_customer("Old File", 'a', user_id=self.salesman.id)
            general = self._tiered_customer("General File", 'c', user_id=self.salesman.id)
        with freeze_time('2026-11-01'):
            new = self._tiered_customer("New File", 'b', user_id=self.salesman.id)
        stale.sudo().custmgmt_archive_reviewed_on = date(2026, 5, 25)
        self._scan()
        self.assertFalse(self._warnings(kind='stale_archive'), "reviewed less than 6 months ago; new; or C")
        stale.sudo().custmgmt_archive_reviewed_on = date(2026, 5, 24)
        self._scan()
        warning = self._warnings(kind='stale_archive')
        self.assertEqual(warning.partner_id, stale)
        self.assertNotIn(general | new, warning.partner_id)
        with freeze_time(TODAY):
            stale.with_user(self.salesman).action_custmgmt_mark_reviewed()
        self.assertEqual(stale.custmgmt_archive_reviewed_on, date(2026, 11, 24))
        self._scan()
        self.assertEqual(warning.state, 'closed')
        with self.assertRaises(AccessError):
            stale.with_user(self.plain_user).action_custmgmt_mark_reviewed()

    # 9 ------------------------------------------------------------------
    def test_decision_chain_leader_archived(self):
        self._only('decision_chain')
        customer = self._tiered_customer("Chain Co", 'b', user_id=self.salesman.id)
        Member = self.env['custmgmt.decision.member'].sudo()
        leader = Member.create({'partner_id': customer.id, 'name': 'Zhang GM', 'decision_role': 'leader',
                                'company_id': self.company.id})
        Member.create({'partner_id': customer.id, 'name': 'Wang Buyer', 'decision_role': 'follower',
                       'company_id': self.company.id})
        self._scan()
        self.assertFalse(self._warnings(kind='decision_chain'))
        leader.active = False
        self._scan()
        warning = self._warnings(kind='decision_chain')
        self.assertEqual(warning.partner_id, customer)
        Member.create({'partner_id': customer.id, 'name': 'Li New GM', 'decision_role': 'leader',
                       'company_id': self.company.id})
        self._scan()
        self.assertEqual(warning.state, 'closed')

    # 10 -----------------------------------------------------------------
    def test_credit_at_ninety_percent(self):
        self._only('credit')
        below = self._customer("Below Co", user_id=self.salesman.id)
        for customer in (self.customer, below):
            customer.with_company(self.company).sudo().credit_limit = 1000.0
        self._invoice('2026-11-20', 900.0, due='2026-12-20')
        self._invoice('2026-11-20', 899.0, due='2026-12-20', partner=below)
        self._scan()
        warning = self._warnings(kind='credit')
        self.assertEqual((warning.partner_id, warning.severity, warning.current_value, warning.reference_value),
                         (self.customer, 'warning', 900.0, 1000.0))
        self.assertEqual(self._told(warning), self.salesman | self.finance)
        for activity in warning.activity_ids:
            self.assertNotIn("900", activity.summary, "no figure in what every internal user reads")
            self.assertNotIn("1,000", activity.summary)
            self.assertIn("Credit Limit Near", activity.summary)
        self.assertFalse(self.env['mail.mail'].search([('model', '=', 'custmgmt.warning')]),
                         "no e-mail per warning or activity")
