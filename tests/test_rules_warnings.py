import datetime

import pytest
from rules import warnings as w

D = datetime.date
TODAY = D(2026, 11, 24)


def test_add_months_and_windows():
    assert w.add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert w.add_months(D(2026, 1, 15), -2) == D(2025, 11, 15)
    assert w.add_months(D(2026, 11, 1), 12) == D(2027, 11, 1)
    recent, previous, year_before = w.decline_windows(TODAY, 3)
    assert recent == (D(2026, 8, 1), D(2026, 11, 1))
    assert previous == (D(2026, 5, 1), D(2026, 8, 1))
    assert year_before == (D(2025, 8, 1), D(2025, 11, 1))


# 1 -------------------------------------------------------------------
def test_key_decline_at_threshold_not_below():
    assert w.key_decline('a', 70.0, 100.0, 0.0, 30.0) == w.Signal('critical', 70.0, 100.0, 30.0)
    assert w.key_decline('a', 70.01, 100.0, 0.0, 30.0) is None
    assert w.key_decline('b', 70.0, 100.0, None, 30.0).severity == 'warning'


def test_key_decline_only_key_customers_and_references():
    assert w.key_decline('c', 0.0, 100.0, 100.0) is None
    assert w.key_decline(False, 0.0, 100.0, 100.0) is None
    # no history (brand-new customer): nothing to compare with
    assert w.key_decline('a', 50.0, 0.0, 0.0) is None
    assert w.key_decline('a', 50.0, None, None) is None
    # the same months a year before count too; the larger fall is reported
    assert w.key_decline('a', 60.0, 70.0, 100.0).reference == 100.0
    # refunds: net sales may be negative; a negative reference is no reference
    assert w.key_decline('a', -10.0, 100.0, 0.0).current == -10.0
    assert w.key_decline('a', 0.0, -50.0, 0.0) is None


# 2 -------------------------------------------------------------------
def test_churn_threshold_edges():
    dates = [D(2026, 1, 1) + datetime.timedelta(days=30 * i) for i in range(5)]  # every 30 days
    last = max(dates)
    assert w.usual_interval(dates) == 30.0
    # threshold = 2 x 30 = 60: 60 days silent is not "longer than"
    assert w.churn(dates, last + datetime.timedelta(days=60)) is None
    sig = w.churn(dates, last + datetime.timedelta(days=61))
    assert sig == w.Signal('warning', 61.0, 30.0, 60.0)
    assert w.churn(dates, last + datetime.timedelta(days=121)).severity == 'critical'


def test_churn_minimum_and_no_history():
    weekly = [D(2026, 10, 1) + datetime.timedelta(days=7 * i) for i in range(4)]
    # 2 x 7 = 14 < 30: at least 30 days
    assert w.churn(weekly, max(weekly) + datetime.timedelta(days=30)) is None
    assert w.churn(weekly, max(weekly) + datetime.timedelta(days=31)).threshold == 30.0
    # one invoice only, or the same day twice: no usual interval, no warning
    assert w.churn([D(2025, 1, 1)], TODAY) is None
    assert w.churn([D(2025, 1, 1), D(2025, 1, 1)], TODAY) is None


def test_churn_uses_the_last_twelve_intervals():
    old = [D(2020, 1, 1) + datetime.timedelta(days=300 * i) for i in range(3)]
    recent = [D(2026, 1, 1) + datetime.timedelta(days=10 * i) for i in range(13)]
    assert w.usual_interval(old + recent) == 10.0


# 3 -------------------------------------------------------------------
def test_slow_payment_delay_edges():
    assert w.slow_payment(20.0, 5.0, 0, 15.0) == w.Signal('warning', 20.0, 5.0, 15.0)
    assert w.slow_payment(19.9, 5.0, 0, 15.0) is None
    # no settled invoice in one of the windows (new customer, one invoice only)
    assert w.slow_payment(None, 5.0, 0) is None
    assert w.slow_payment(None, None, 0) is None


def test_slow_payment_first_long_overdue():
    # used to pay on time, now an item overdue more than 60 days
    assert w.slow_payment(None, 2.0, 61) == w.Signal('critical', 61.0, 2.0, 60.0)
    assert w.slow_payment(None, 2.0, 60) is None
    # a customer that always paid late is not "first"
    assert w.slow_payment(None, 30.0, 90) is None
    # never paid anything: nothing to say it used to pay on time
    assert w.slow_payment(None, None, 90) is None


# 4 -------------------------------------------------------------------
def test_satisfaction():
    assert w.satisfaction(2.0, None) == w.Signal('critical', 2.0, 0.0, 2.0)
    assert w.satisfaction(2.01, None) is None
    assert w.satisfaction(3.0, 4.0) == w.Signal('warning', 3.0, 4.0, 1.0)
    assert w.satisfaction(3.1, 4.0) is None
    assert w.satisfaction(None, 4.0) is None
    assert w.satisfaction(0.0, 4.0) is None  # unanswered


# 5 -------------------------------------------------------------------
def test_complaint_surge():
    assert w.complaint_surge('b', 3, 0, 3) == w.Signal('warning', 3.0, 0.0, 3.0)
    assert w.complaint_surge('b', 2, 2, 3) is None
    assert w.complaint_surge('a', 1, 1, 3).severity == 'critical'
    assert w.complaint_surge('a', 1, 0, 3) is None
    assert w.complaint_surge(False, 0, 0, 3) is None


# 6 -------------------------------------------------------------------
@pytest.mark.parametrize("old, new, severity", [
    ('a', 'b', 'warning'), ('a', 'c', 'critical'), ('b', 'c', 'info'), ('b', 'a', None), ('c', 'c', None),
    (None, 'c', None),  # the first classification is no move down
])
def test_tier_down(old, new, severity):
    sig = w.tier_down(old, new, TODAY, TODAY)
    assert (sig.severity if sig else None) == severity


def test_tier_down_cleared_by_a_later_recompute():
    assert w.tier_down('a', 'b', D(2026, 10, 1), D(2026, 11, 1)) is None
    assert w.tier_down('a', 'b', None, TODAY) is None


# 7 -------------------------------------------------------------------
def test_service_gap():
    due = TODAY - datetime.timedelta(days=10)
    assert w.service_gap('a', due, 10, TODAY) is None
    assert w.service_gap('a', due - datetime.timedelta(days=1), 10, TODAY) == w.Signal('warning', 11.0, 10.0, 10.0)
    assert w.service_gap('c', due - datetime.timedelta(days=30), 30, TODAY).severity == 'info'
    assert w.service_gap('a', None, 10, TODAY) is None  # no cadence
    assert w.service_gap('a', due, 0, TODAY) is None


# 8 -------------------------------------------------------------------
def test_stale_archive():
    assert w.stale_archive('a', D(2026, 5, 24), None, TODAY, 6) == w.Signal('info', 6.0, 0.0, 6.0)
    assert w.stale_archive('a', D(2026, 5, 25), None, TODAY, 6) is None
    # never reviewed: counted from creation; a brand-new customer is not stale
    assert w.stale_archive('b', None, D(2026, 11, 1), TODAY, 6) is None
    assert w.stale_archive('b', None, D(2025, 1, 1), TODAY, 6).current == 22.0
    assert w.stale_archive('c', None, D(2020, 1, 1), TODAY, 6) is None


# 9 -------------------------------------------------------------------
def test_decision_chain():
    assert w.decision_chain('a', 1, 0, 0, 0) == w.Signal('warning', 1.0, 0.0, 0.0)
    assert w.decision_chain('a', 1, 1, 0, 0) is None  # a new leader was recorded
    assert w.decision_chain('b', 1, 0, 1, 0).current == 2.0
    assert w.decision_chain('c', 1, 0, 1, 0) is None
    assert w.decision_chain('a', 0, 0, 0, 0) is None


# 10 ------------------------------------------------------------------
def test_credit():
    assert w.credit(900.0, 1000.0) == w.Signal('warning', 900.0, 1000.0, 90.0)
    assert w.credit(899.99, 1000.0) is None
    assert w.credit(1000.0, 1000.0).severity == 'critical'
    assert w.credit(5000.0, 0.0) is None
    assert w.credit(-100.0, 1000.0) is None  # refunds: a credit balance


# routing and reconciliation ----------------------------------------
def test_recipients():
    assert w.recipients('churn', 'warning', 'b', 1, 2, 3) == [1]
    assert w.recipients('churn', 'critical', 'b', 1, 2, 3) == [1, 2]
    assert w.recipients('churn', 'info', 'a', 1, 2, 3) == [1, 2]
    assert w.recipients('credit', 'warning', 'c', 1, 2, 3) == [1, 3]
    assert w.recipients('slow_payment', 'critical', 'a', 1, 2, None) == [1, 2]
    # no salesperson: the leader; nobody at all: nobody
    assert w.recipients('churn', 'warning', 'c', None, 2, None) == [2]
    assert w.recipients('churn', 'warning', 'c', None, None, None) == []
    assert w.recipients('credit', 'warning', 'c', 3, None, 3) == [3]


def test_reconcile():
    signals = {1: w.Signal('warning', 1, 1, 1), 2: w.Signal('warning', 1, 1, 1)}
    live = {2: (20, 'open'), 3: (30, 'acknowledged')}
    assert w.reconcile(signals, live) == ([1], [(30, 'acknowledged')])
    assert w.reconcile({}, {}) == ([], [])
