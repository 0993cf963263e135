from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import CustmgmtCreditCommon
from .test_overview import OverviewData

OVERVIEW = '/odoo/action-custmgmt_addon.custmgmt_overview_action'


@tagged('post_install', '-at_install')
class TestOverviewTour(OverviewData, CustmgmtCreditCommon, HttpCase):
    """The overview and the Pareto chart in a browser (web_tour tours in
    static/tests/tours/overview_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._overview_users()
        cls.company.custmgmt_tier_last_run_date = fields.Date.today()
        for user in (cls.salesman, cls.manager):
            user.company_ids = [Command.set(cls.company.ids)]
        cls._overview_customer('Tour Own Alpha', 'a', 50000.0, cls.salesman, overdue=50000.0)
        cls._overview_customer('Tour Own Beta', 'a', 30000.0, cls.salesman, complaint=False)
        cls._overview_customer('Tour Other Gamma', 'a', 20000.0, cls.colleague, complaint=False)

    def test_overview_as_salesperson(self):
        self.start_tour(OVERVIEW, 'custmgmt_overview_salesperson', login=self.salesman.login)

    def test_overview_as_manager(self):
        self.start_tour(OVERVIEW, 'custmgmt_overview_manager', login=self.manager.login)

    def test_pareto_opens_a_customer(self):
        self.start_tour('/odoo/action-custmgmt_addon.custmgmt_pareto_action', 'custmgmt_pareto', login=self.manager.login)
