import base64

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CustmgmtLightCommon


@tagged('post_install', '-at_install')
class TestObjection(CustmgmtLightCommon):

    def test_cause_must_belong_to_its_side(self):
        customer = self._customer("Objecting Co", user_id=self.salesman.id)
        Objection = self.env['custmgmt.objection'].with_user(self.salesman)
        ok = Objection.create({'partner_id': customer.id, 'objection_type': 'hidden',
                               'cause_side': 'salesperson', 'cause': 'jargon'})
        self.assertEqual(ok.user_id, self.salesman)
        with self.assertRaisesRegex(ValidationError, "not a cause on the Customer side"):
            Objection.create({'partner_id': customer.id, 'cause_side': 'customer', 'cause': 'overbearing'})
        with self.assertRaisesRegex(ValidationError, "not a cause on the Salesperson side"), self.env.cr.savepoint():
            ok.write({'cause': 'emotional'})
        ok.invalidate_recordset()
        self.assertEqual(ok.cause, 'jargon', "a refused cause changes nothing")
        form = Form(ok)
        form.cause_side = 'customer'
        self.assertFalse(form.cause, "switching side clears a cause of the other side")
        form.cause = 'tactical'
        form.save()
        self.assertEqual((ok.cause_side, ok.cause), ('customer', 'tactical'))
        other = self._customer("Someone else's")
        theirs = self.env['custmgmt.objection'].create({'partner_id': other.id, 'user_id': self.manager.id})
        self.assertNotIn(theirs, Objection.search([]))
        with self.assertRaises(AccessError):
            self.env['custmgmt.objection'].with_user(self.plain_user).search([])


@tagged('post_install', '-at_install')
class TestDispute(CustmgmtLightCommon):

    def test_basis_for_the_four_combinations(self):
        customer = self._customer("Disputing Co", user_id=self.salesman.id)
        Dispute = self.env['custmgmt.dispute'].with_user(self.salesman)
        expected = {(True, False): 'contract', (True, True): 'negotiation',
                    (False, False): 'negotiation', (False, True): 'negotiation'}
        for (explicit, unfair), basis in expected.items():
            dispute = Dispute.create({'name': 'Short weight', 'partner_id': customer.id,
                                      'contract_explicit': explicit, 'clause_unfair': unfair})
            self.assertEqual(dispute.resolution_basis, basis, (explicit, unfair))

    def test_settle_needs_evidence_and_outcome_and_shows_on_archive(self):
        customer = self._customer("Evidence Co", user_id=self.salesman.id)
        dispute = self.env['custmgmt.dispute'].with_user(self.salesman).create({
            'name': 'Short weight on delivery 42', 'partner_id': customer.id, 'amount_disputed': 12000,
            'contract_explicit': True})
        dispute.action_open()
        with self.assertRaisesRegex(UserError, "Attach the evidence"):
            dispute.action_settle()
        self.assertEqual(dispute.state, 'open')
        self.env['ir.attachment'].with_user(self.salesman).create({
            'name': 'weighbridge.pdf', 'res_model': dispute._name, 'res_id': dispute.id,
            'datas': base64.b64encode(b'%PDF-1.4 weighbridge ticket')})
        dispute.invalidate_recordset(['evidence_count'])
        with self.assertRaisesRegex(UserError, "Write the outcome"):
            dispute.action_settle()
        dispute.write({'outcome': 'Clause 7 applies: credit note for the missing 0.4 t', 'settled_amount': 8000})
        dispute.action_settle()
        self.assertEqual(dispute.state, 'settled')
        self.assertTrue(dispute.settled_date)
        archive = customer.with_user(self.salesman)
        self.assertEqual(archive.custmgmt_dispute_ids, dispute)
        self.assertEqual(archive.custmgmt_dispute_count, 1)
        self.assertIn('Clause 7', archive.custmgmt_dispute_ids.outcome)
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            dispute.with_user(self.manager).unlink()
