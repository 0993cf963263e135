from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CustmgmtCommon


@tagged('post_install', '-at_install')
class TestArchiveAccess(CustmgmtCommon):
    """Customer files are internal and controlled (seed 001 §三)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._customer("Mine Co", user_id=cls.salesman.id)
        cls.owned = cls._customer("Owned Co", custmgmt_archive_user_id=cls.owner.id)
        cls.theirs = cls._customer("Theirs Co", user_id=cls.manager.id)
        Member = cls.env['custmgmt.decision.member']
        Line = cls.env['custmgmt.competitor.line']
        cls.rival = cls._customer("Rival")
        cls.members = {}
        cls.lines = {}
        for customer in (cls.mine, cls.owned, cls.theirs):
            contact = cls.env['res.partner'].create({'name': f'Buyer of {customer.name}', 'parent_id': customer.id})
            cls.members[customer] = Member.create({
                'partner_id': customer.id, 'contact_id': contact.id, 'birthday': '1980-05-05', 'hobbies': 'Tea'})
            cls.lines[customer] = Line.create({'partner_id': customer.id, 'competitor_id': cls.rival.id,
                                               'share_percent': 30})
        cls.company_2 = cls.setup_other_company()['company']
        cls.foreign = cls._customer("Foreign Co", company_id=cls.company_2.id, user_id=cls.salesman.id)
        foreign_contact = cls.env['res.partner'].create({
            'name': 'Foreign buyer', 'parent_id': cls.foreign.id, 'company_id': cls.company_2.id})
        cls.foreign_member = Member.create({'partner_id': cls.foreign.id, 'contact_id': foreign_contact.id})
        cls.manager_2 = new_test_user(
            cls.env, login='cm_manager_2', groups='base.group_user,custmgmt_addon.group_custmgmt_manager',
            company_id=cls.company_2.id, company_ids=[Command.set(cls.company_2.ids)])

    def _visible(self, user, model):
        return self.env[model].with_user(user).search([])

    def test_user_sees_decision_chain_of_own_customers_only(self):
        for user, expected in ((self.salesman, self.mine), (self.owner, self.owned)):
            members = self._visible(user, 'custmgmt.decision.member')
            self.assertEqual(members.partner_id, expected)
            lines = self._visible(user, 'custmgmt.competitor.line')
            self.assertEqual(lines.partner_id, expected)
        with self.assertRaises(AccessError):
            self.members[self.theirs].with_user(self.salesman).read(['position'])
        with self.assertRaises(AccessError):
            self.lines[self.theirs].with_user(self.owner).write({'share_percent': 10})
        # and edits them
        self.members[self.mine].with_user(self.salesman).write({'decision_role': 'leader', 'hobbies': 'Golf'})
        self.assertEqual(self.members[self.mine].decision_role, 'leader')

    def test_manager_reads_all_of_own_companies(self):
        members = self._visible(self.manager, 'custmgmt.decision.member')
        self.assertEqual(members.partner_id, self.mine | self.owned | self.theirs)
        self.assertEqual(self._visible(self.manager, 'custmgmt.competitor.line').partner_id,
                         self.mine | self.owned | self.theirs)
        # multi-company: another company's customer files stay in that company
        self.assertNotIn(self.foreign_member, members)
        self.assertIn(self.foreign_member, self._visible(self.manager_2, 'custmgmt.decision.member'))
        with self.assertRaises(AccessError):
            self.foreign_member.with_user(self.manager).read(['position'])

    def test_internal_user_outside_the_groups_reads_nothing(self):
        for model in ('custmgmt.decision.member', 'custmgmt.competitor.line', 'custmgmt.tier.history',
                      'custmgmt.partner.sales.month', 'custmgmt.tier.register'):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.plain_user).search([])
        for fname in ('custmgmt_registered_capital', 'custmgmt_credit_standing', 'custmgmt_decision_member_ids', 'custmgmt_tier'):
            with self.assertRaises(AccessError, msg=fname):
                self.mine.with_user(self.plain_user).read([fname])
        # the personal fields of the decision chain carry the group too
        fields_info = self.env['custmgmt.decision.member'].fields_get(['birthday', 'hobbies'])
        self.assertEqual(set(fields_info), {'birthday', 'hobbies'})
        self.assertFalse(self.env['custmgmt.decision.member'].with_user(self.plain_user).fields_get(['birthday']))

    def test_default_groups(self):
        self.assertTrue(self.salesman.has_group('custmgmt_addon.group_custmgmt_user'))
        self.assertFalse(self.salesman.has_group('custmgmt_addon.group_custmgmt_manager'))
        self.assertTrue(self.manager.has_group('custmgmt_addon.group_custmgmt_manager'))
        accountant = new_test_user(self.env, login='cm_accountant', groups='base.group_user,account.group_account_user')
        self.assertTrue(accountant.has_group('custmgmt_addon.group_custmgmt_finance'))
        self.assertFalse(self.plain_user.has_group('custmgmt_addon.group_custmgmt_user'))
        self.assertTrue(self.env.ref('base.user_admin').has_group('custmgmt_addon.group_custmgmt_manager'))
