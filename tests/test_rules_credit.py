import datetime

from rules import credit


def test_aging_buckets_edges():
    assert [credit.aging_bucket(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        'not_due', 'not_due', '1_30', '1_30', '31_60', '31_60', '61_90', '61_90', 'over_90', 'over_90']


def test_hold_for_limit_and_for_overdue():
    assert credit.hold_reasons(10000, 8000, 2000, 0, 90) == []          # exactly at the limit
    assert credit.hold_reasons(10000, 8000, 2000.01, 0, 90) == ['limit']
    assert credit.hold_reasons(0, 10 ** 9, 5000, 0, 90) == []            # no limit set
    assert credit.hold_reasons(0, 0, 100, 91, 90) == ['overdue']
    assert credit.hold_reasons(0, 0, 100, 90, 90) == []
    assert credit.hold_reasons(100, 100, 1, 120, 90) == ['limit', 'overdue']


def test_collection_matrix_quadrants():
    assert credit.quadrant(10, 500, 60, 10000) == 'short_small'
    assert credit.quadrant(60, 500, 60, 10000) == 'long_small'
    assert credit.quadrant(59, 10000, 60, 10000) == 'short_large'
    assert credit.quadrant(75, 25000, 60, 10000) == 'long_large'
    assert credit.matrix_actions('long_large') == (('salesperson', 'special_measures'),
                                                   ('finance_manager', 'special_measures'))
    assert credit.matrix_actions('short_small') == (('collector', 'reminder'),)


def test_dunning_steps_once_per_interval_up_to_three():
    today = datetime.date(2026, 11, 24)
    assert credit.next_dunning_level(0, None, today, 15) == 1
    assert credit.next_dunning_level(1, today - datetime.timedelta(days=14), today, 15) == 1
    assert credit.next_dunning_level(1, today - datetime.timedelta(days=15), today, 15) == 2
    assert credit.next_dunning_level(3, None, today, 15) == 3


def test_every_quadrant_names_who_acts():
    people = {who for quadrant in ('short_small', 'long_small', 'short_large', 'long_large')
              for who, _action in credit.matrix_actions(quadrant)}
    assert people == {'collector', 'customer', 'salesperson', 'finance_manager'}
    assert credit.matrix_actions('long_small') == (('customer', 'dunning_letter'),)
    assert credit.matrix_actions('short_large') == (('salesperson', 'collection_visit'),)


def test_thresholds_are_inclusive():
    assert credit.quadrant(60, 9999.99, 60, 10000) == 'long_small'
    assert credit.quadrant(59, 10000, 60, 10000) == 'short_large'
    assert credit.hold_reasons(5000, 3500, 1500, 90, 90) == []
    assert credit.hold_reasons(5000, 3500, 2000, 91, 90) == ['limit', 'overdue']


def test_dunning_without_a_previous_date_steps_at_once():
    today = datetime.date(2026, 11, 24)
    assert credit.next_dunning_level(2, None, today, 15) == 3
    assert credit.next_dunning_level(2, today, today, 15) == 2


def test_policy_thresholds():
    assert credit.policy_is_valid(60, 90, 15, 10000)
    assert credit.policy_is_valid(1, 1, 1, 0)
    assert not credit.policy_is_valid(60, 90, 0, 10000)
    assert not credit.policy_is_valid(60, 90, 15, -1)


def test_exception_covers_that_customer_currency_and_at_most_that_amount():
    approved = (7, 1, 300.0)
    assert credit.exception_covers(approved, (7, 1, 300.0))
    assert credit.exception_covers(approved, (7, 1, 250.0))       # a smaller order stays covered
    assert not credit.exception_covers(approved, (7, 1, 300.01))  # raised above the approval
    assert not credit.exception_covers(approved, (8, 1, 300.0))   # another customer
    assert not credit.exception_covers(approved, (7, 2, 300.0))   # another currency


def test_paid_online_needs_done_payments_covering_the_required_amount():
    assert credit.paid_online([100.0, 200.0], 300.0)
    assert credit.paid_online([90.0], 90.0)                        # a prepayment of 30 % of 300
    assert not credit.paid_online([100.0], 300.0)
    assert not credit.paid_online([], 300.0)
    assert not credit.paid_online([0.0], 0.0)


def test_exception_deciders_four_eyes():
    assert credit.exception_deciders([3, 4], 9, 5) == [9]          # the collection user
    assert credit.exception_deciders([3, 4], None, 5) == [3, 4]    # else the Finance users
    assert credit.exception_deciders([3, 4], None, 3) == [4]       # never the requester
    assert credit.exception_deciders([3, 4], 3, 3) == [4]          # the collection user asked: the others
    assert credit.exception_deciders([], None, 3) == []


def test_credit_limit_is_not_negative():
    assert credit.limit_is_valid(0) and credit.limit_is_valid(5000) and credit.limit_is_valid(False)
    assert not credit.limit_is_valid(-1)
