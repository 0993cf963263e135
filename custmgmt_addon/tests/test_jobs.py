from contextlib import contextmanager
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged

from .common import CustmgmtCreditCommon
from .test_visit import TODAY, ServiceCommon

BUSY = "is running right now"


class JobLockMixin:
    """Hold a scheduled action's row from another transaction, as the cron
    worker does while it runs the job (or as a manual run does)."""

    @contextmanager
    def _job_held(self, xmlid):
        cron = self.env.ref(xmlid)
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            # NOWAIT: fail rather than wait if this test's transaction held it already
            other.execute("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE NOWAIT", [cron.id])
            yield cron
        finally:
            other.rollback()
            other.close()

    def _triggers(self, cron):
        return self.env['ir.cron.trigger'].sudo().search([('cron_id', '=', cron.id)])

    def _assert_retriggered(self, cron, before):
        """The skipped scheduled run is called again a few minutes later."""
        new = self._triggers(cron) - before
        self.assertEqual(len(new), 1, "the busy scheduled run triggers its cron again")
        self.assertEqual(new.call_at, fields.Datetime.now().replace(microsecond=0) + timedelta(minutes=5))


@tagged('post_install', '-at_install')
@freeze_time('2026-11-24')
class TestServiceJobLocks(JobLockMixin, ServiceCommon):
    """Visit and survey planning: one run at a time, by the cron's row lock."""

    def _settings(self, user):
        return self.env['res.config.settings'].with_user(user).create({})

    def _visits(self):
        return self.env['custmgmt.visit'].search_count([('company_id', '=', self.company.id)])

    def test_plan_visits_now_during_the_daily_run(self):
        with self._job_held('custmgmt_addon.ir_cron_plan_visits') as cron:
            triggers = self._triggers(cron)
            # the daily run holds the job: "Plan Visits Now" is refused, clearly
            with self.assertRaisesRegex(UserError, BUSY):
                self._settings(self.sysadmin).action_custmgmt_plan_visits()
            with self.assertRaisesRegex(UserError, BUSY):
                self.env['custmgmt.visit.planner']._custmgmt_plan_visits(self.company, today=TODAY)
            self.assertEqual(self._visits(), 0)
            # a manual run holds the job: the scheduled run writes nothing and comes back soon
            self.assertEqual(self.env['custmgmt.visit.planner']._cron_plan_visits(today=TODAY), 0)
            self.assertEqual(self._visits(), 0)
            self._assert_retriggered(cron, triggers)
            # the cron worker itself holds the row while it runs the job: its call plans
            by_worker = self.env['custmgmt.visit.planner'].with_context(cron_id=cron.id)
            self.assertEqual(by_worker._cron_plan_visits(today=TODAY), 5)
        # once the run is over, "Plan Visits Now" plans no duplicate
        self._settings(self.sysadmin).action_custmgmt_plan_visits()
        self.assertEqual(self.env['custmgmt.visit.planner']._cron_plan_visits(today=TODAY), 0)
        self.assertEqual(self._visits(), 5)

    def test_plan_surveys_during_a_run(self):
        Plan = self.env['custmgmt.survey.plan']
        with self._job_held('custmgmt_addon.ir_cron_plan_surveys') as cron:
            triggers = self._triggers(cron)
            with self.assertRaisesRegex(UserError, BUSY):
                Plan._custmgmt_plan_surveys(self.company, today=TODAY)
            self.assertEqual(Plan._cron_plan_surveys(today=TODAY), 0)
            self.assertFalse(Plan.search([]))
            self._assert_retriggered(cron, triggers)
        self.assertEqual(Plan._cron_plan_surveys(today=TODAY), 8)  # 5 monthly, 3 quarterly (A and B)

    def test_refusal_is_translated(self):
        self._load_chinese()
        with self._job_held('custmgmt_addon.ir_cron_plan_visits'):
            with self.assertRaisesRegex(UserError, "正在运行"):
                self._settings(self.sysadmin.with_context(lang='zh_CN')).with_context(
                    lang='zh_CN').action_custmgmt_plan_visits()

    def test_planning_sends_no_mail(self):
        """Neither the visits (assigned to their responsible) nor their
        activities, nor the survey activities, make a message or an e-mail:
        the planners run as the scheduled action does, without the tests'
        mail-disabling context."""
        env = self.env(context={})  # the context of a scheduled action
        self.salesman.notification_type = 'email'
        self.leader.notification_type = 'email'
        messages = self.env['mail.message'].sudo().search_count([])
        mails = self.env['mail.mail'].sudo().search_count([])
        notifications = self.env['mail.notification'].sudo().search_count([])
        self.assertEqual(env['custmgmt.visit.planner']._custmgmt_plan_visits(self.company, today=TODAY), 5)
        self.assertEqual(env['custmgmt.survey.plan']._custmgmt_plan_surveys(self.company, today=TODAY), 8)
        self.env.flush_all()
        self.assertEqual(self.env['mail.message'].sudo().search_count([]), messages)
        self.assertEqual(self.env['mail.mail'].sudo().search_count([]), mails)
        self.assertEqual(self.env['mail.notification'].sudo().search_count([]), notifications)
        # the visitors still follow their visits and find them in their activities
        visit = self.env['custmgmt.visit'].search([('partner_id', '=', self.cust_a.id), ('kind', '=', 'routine')])
        self.assertIn(self.salesman.partner_id, visit.message_partner_ids)
        self.assertEqual(visit.activity_ids.user_id, self.salesman | self.leader)


@tagged('post_install', '-at_install')
class TestCollectionJobLock(JobLockMixin, CustmgmtCreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sudo().custmgmt_collection_user_id = cls.finance
        cls.overdue = cls._customer("Overdue Co", user_id=cls.salesman.id)
        cls._invoices([(cls.overdue, '2026-11-14', 500.0)])

    def _activities(self):
        return self.env['mail.activity'].sudo().search_count([('res_model', '=', 'res.partner'),
                                                              ('res_id', '=', self.overdue.id)])

    @freeze_time('2026-11-24')
    def test_run_now_during_the_daily_run(self):
        wizard = self.env['custmgmt.credit.policy.wizard'].with_user(self.finance).create({})
        with self._job_held('custmgmt_addon.ir_cron_collection') as cron:
            triggers = self._triggers(cron)
            with self.assertRaisesRegex(UserError, BUSY):
                wizard.action_run_collection()
            self.env['custmgmt.collection']._cron_run()
            self.assertEqual(self._activities(), 0, "the scheduled run steps aside while a manual run holds the job")
            self._assert_retriggered(cron, triggers)
        wizard.action_run_collection()
        self.assertEqual(self._activities(), 1)
        self.env['custmgmt.collection']._cron_run()
        self.assertEqual(self._activities(), 1)
