import datetime

from rules import credit, overview, tiers


def test_week_and_months():
    assert overview.week_bounds(datetime.date(2026, 12, 2)) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    assert overview.week_bounds(datetime.date(2026, 12, 6))[0] == datetime.date(2026, 11, 30)
    months = overview.months_back(datetime.date(2026, 2, 10), 12)
    assert months[0] == datetime.date(2025, 3, 1) and months[-1] == datetime.date(2026, 2, 1) and len(months) == 12


def test_months_read_as_months():
    nov = datetime.date(2026, 11, 1)
    english = {'yMMM': "%b %Y", 'MMM': "%b"}
    assert overview.month_label(nov, 'en_US', skeleton_format=lambda sk, d: d.strftime(english[sk])) == "Nov 2026"
    assert overview.month_label(nov, 'zh_CN') == "2026年11月"
    assert overview.month_label(nov, 'zh_TW', short=True) == "11月"
    assert overview.month_range_label(datetime.date(2026, 9, 1), nov, 'zh_CN') == "2026年9月–11月"
    assert overview.month_range_label(datetime.date(2025, 12, 1), nov, 'zh_TW') == "2025年12月–2026年11月"
    assert overview.month_range_label(datetime.date(2026, 9, 1), nov, 'en_US',
                                      interval_format=lambda a, b: f"{a:%b} – {b:%b %Y}") == "Sep – Nov 2026"


def test_tier_moves_count_up_and_down_not_first():
    rows = [('b', 'a', 2), ('a', 'c', 1), (None, 'c', 5), ('c', 'b', 1), ('b', None, 1)]
    assert overview.tier_moves(rows, tiers.tier_direction) == {'up': 3, 'down': 2}


def test_quadrant_totals_use_the_matrix():
    policies = {1: (60, 10000, 1.0), 2: (30, 500, 2.0)}
    customers = [(1, 11, 50000.0, 100), (1, 12, 500.0, 90), (1, 13, 20000.0, 10), (2, 11, 600.0, 40),
                 (1, 14, 100.0, 5)]
    totals = overview.quadrant_totals(customers, policies, credit.quadrant)
    assert totals == {'long_large': (50000.0 + 1200.0, 2, [11]), 'long_small': (500.0, 1, [12]),
                      'short_large': (20000.0, 1, [13]), 'short_small': (100.0, 1, [14])}


def test_pareto_points_share_and_tail():
    rows = [(1, 'A', 'a', 800.0, 1, 1), (2, 'B', 'b', 150.0, 2, 1), (None, None, None, 50.0, None, 3)]
    points = overview.pareto_points(rows, other_label=lambda n: f"Others ({n})")
    assert [p['cumulative'] for p in points] == [80.0, 95.0, 100.0]
    assert points[-1]['name'] == "Others (3)" and points[-1]['count'] == 3
    # a negative average takes no share, as in the tier register
    points = overview.pareto_points([(1, 'A', 'a', 100.0, 1, 1), (2, 'Z', 'c', -50.0, 2, 1)])
    assert [p['share'] for p in points] == [100.0, 0.0] and points[-1]['cumulative'] == 100.0
    assert overview.pareto_points([(1, 'A', 'c', 0.0, 1, 1)])[0]['cumulative'] == 0.0
