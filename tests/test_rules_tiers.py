import datetime

import pytest
from rules import tiers


def tier_of(results):
    return {key: r.tier for key, r in results.items()}


def test_window_is_the_complete_months_before_the_run():
    assert tiers.tier_window(datetime.date(2026, 11, 24), 3) == (datetime.date(2026, 8, 1), datetime.date(2026, 11, 1))
    assert tiers.tier_window(datetime.date(2026, 1, 1), 1) == (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1))
    assert tiers.tier_window(datetime.date(2026, 2, 28), 12) == (datetime.date(2025, 2, 1), datetime.date(2026, 2, 1))
    with pytest.raises(ValueError):
        tiers.tier_window(datetime.date(2026, 2, 28), 13)


def test_pareto_twenty_customers_top_four_make_exactly_eighty_percent():
    # top 4 make 80 %, the next 6 make 15 %, the last 10 make 5 % (seed 001 §五)
    averages = {f"top{i}": 20000.0 for i in range(4)}
    averages.update({f"mid{i}": 2500.0 for i in range(6)})
    averages.update({f"low{i}": 500.0 for i in range(10)})
    result = tiers.classify(averages, 'pareto', 80, 95)
    counts = {t: sum(1 for r in result.values() if r.tier == t) for t in 'abc'}
    assert counts == {'a': 4, 'b': 6, 'c': 10}
    assert result['mid0'].share_before == pytest.approx(80.0)
    assert result['mid0'].rank == 5
    assert result['low0'].rank == 11


def test_pareto_ties_share_the_sum_ranked_above():
    # 50 | 25 25 | 0: both 25s see only 50 above them (50 %) and are A with A at 60 %
    result = tiers.classify({'x': 50.0, 'y': 25.0, 'z': 25.0, 'w': 0.0}, 'pareto', 60, 90)
    assert tier_of(result) == {'x': 'a', 'y': 'a', 'z': 'a', 'w': 'c'}
    assert result['y'].rank == result['z'].rank == 2
    assert result['w'].rank == 4
    assert result['y'].share_before == result['z'].share_before == pytest.approx(50.0)


def test_pareto_first_customer_is_a_even_with_a_huge_share():
    result = tiers.classify({'big': 990.0, 'small': 10.0}, 'pareto', 80, 95)
    assert tier_of(result) == {'big': 'a', 'small': 'c'}


def test_zero_and_negative_averages_are_c_and_do_not_count_in_the_total():
    result = tiers.classify({'p': 100.0, 'q': 0.0, 'r': -40.0}, 'pareto', 80, 95)
    assert tier_of(result) == {'p': 'a', 'q': 'c', 'r': 'c'}
    assert result['q'].share_before == pytest.approx(100.0)
    assert result['r'].rank == 3


def test_all_non_positive_gives_all_c():
    result = tiers.classify({'p': 0.0, 'q': -1.0}, 'pareto', 80, 95)
    assert tier_of(result) == {'p': 'c', 'q': 'c'}


def test_amount_method_cuts_at_grade_standard_amounts():
    result = tiers.classify({'a': 100000.0, 'b': 99999.99, 'c': 10000.0, 'd': 9999.0, 'z': 0.0},
                            'amount', a_amount=100000, b_amount=10000)
    assert tier_of(result) == {'a': 'a', 'b': 'b', 'c': 'b', 'd': 'c', 'z': 'c'}


def test_amount_method_with_zero_b_amount_keeps_zero_average_in_c():
    result = tiers.classify({'zero': 0.0, 'cent': 0.01}, 'amount', a_amount=100, b_amount=0)
    assert tier_of(result) == {'zero': 'c', 'cent': 'b'}


def test_float_noise_at_the_cut_point_does_not_promote():
    # 0.7 + 0.2 is 0.8999999999999999 in floats: x sits exactly at the 90 % cut point,
    # which is not "below" it, so x is C and not B
    result = tiers.classify({'x': 0.1, 'y': 0.2, 'z': 0.7}, 'pareto', 70, 90)
    assert tier_of(result) == {'z': 'a', 'y': 'b', 'x': 'c'}


def test_policy_checks():
    assert tiers.check_policy('pareto', 3, 80, 95, 0, 0) == []
    assert [c for c, _m in tiers.check_policy('pareto', 3, 95, 80, 0, 0)] == ['shares']
    assert [c for c, _m in tiers.check_policy('pareto', 3, 0, 80, 0, 0)] == ['shares']
    assert [c for c, _m in tiers.check_policy('pareto', 3, 80, 101, 0, 0)] == ['shares']
    assert [c for c, _m in tiers.check_policy('pareto', 0, 80, 95, 0, 0)] == ['months']
    assert [c for c, _m in tiers.check_policy('pareto', 13, 80, 95, 0, 0)] == ['months']
    # amounts are only checked for the amount method
    assert tiers.check_policy('pareto', 3, 80, 95, 0, 0) == []
    assert [c for c, _m in tiers.check_policy('amount', 3, 80, 95, 100, 100)] == ['amounts']
    assert [c for c, _m in tiers.check_policy('amount', 3, 80, 95, 100, -1)] == ['amounts']
    assert tiers.check_policy('amount', 3, 0, 0, 100, 0) == []


def test_direction_and_summary():
    assert tiers.tier_direction(None, 'c') == 'first'
    assert tiers.tier_direction('c', 'a') == 'up'
    assert tiers.tier_direction('a', 'b') == 'down'
    assert tiers.tier_direction('b', 'b') is None
    summary = tiers.summarize(tiers.classify({'x': 80.0, 'y': 15.0, 'z': 5.0, 'n': -3.0}, 'pareto', 80, 95))
    assert summary['a'] == (1, pytest.approx(80.0))
    assert summary['b'] == (1, pytest.approx(15.0))
    assert summary['c'] == (2, pytest.approx(5.0))


def test_unused_cut_points_stay_in_range():
    assert [c for c, _m in tiers.check_policy('pareto', 3, 80, 95, -1, 0)] == ['amount_range']
    assert [c for c, _m in tiers.check_policy('amount', 3, 150, 95, 100, 10)] == ['share_range']
    assert tiers.check_policy('amount', 3, 80, 95, 100, 10) == []


def test_updates_write_only_what_changed_and_keep_locked_tiers():
    today = datetime.date(2026, 11, 24)
    results = {
        1: tiers.TierResult('a', 1, 0.0, 500.0),    # unchanged
        2: tiers.TierResult('b', 2, 50.004, 300.0),  # new: first classification
        3: tiers.TierResult('c', 3, 90.0, 10.0),    # locked in A: keeps A, figures refreshed
    }
    stored = {
        1: tiers.TierStored('a', 500.0, 1, 0.0, today, False),
        2: tiers.TierStored(None, None, None, None, None, False),
        3: tiers.TierStored('a', 20.0, 3, 90.0, today, True),
        4: tiers.TierStored('b', 30.0, 4, 95.0, today, False),  # no longer invoiced: loses its tier
        5: tiers.TierStored('c', 1.0, 5, 99.0, today, True),    # locked: stays although not invoiced
    }
    assert tiers.updates(results, stored, today) == [
        tiers.TierUpdate(2, None, 'b', 300.0, 2, 50.0, True, True),
        tiers.TierUpdate(3, 'a', 'a', 10.0, 3, 90.0, True, False),
        tiers.TierUpdate(4, 'b', None, None, None, None, True, True),
    ]
    # a run on a later day refreshes the date of every position
    assert tiers.updates(results, stored, datetime.date(2026, 12, 1))[0].position_changed
