import datetime

import pytest
from rules import cadence

D = datetime.date
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
TODAY = D(2026, 11, 24)  # a Tuesday


def test_weekday_helpers():
    assert TODAY.weekday() == TUE
    assert cadence.weekday_on_or_after(TODAY, TUE) == TODAY
    assert cadence.weekday_on_or_after(TODAY, MON) == D(2026, 11, 30)
    assert cadence.weekday_on_or_before(TODAY, MON) == D(2026, 11, 23)
    assert cadence.weekday_on_or_before(TODAY, WED) == D(2026, 11, 18)
    assert cadence.weekday_on_or_after(TODAY, None) == TODAY


@pytest.mark.parametrize("tier, expected", [
    ('a', D(2026, 11, 12)),   # 10 days
    ('b', D(2026, 11, 17)),   # 15 days
    ('c', D(2026, 12, 2)),    # 30 days
])
def test_next_due_per_tier_without_weekday(tier, expected):
    last = D(2026, 11, 2)
    assert cadence.next_due(last, cadence.DEFAULT_INTERVALS[tier], TODAY) == expected


@pytest.mark.parametrize("tier, weekday, expected", [
    ('a', MON, D(2026, 11, 9)),    # 12 Nov is a Thursday: back to Monday the 9th, weekly visits
    ('a', THU, D(2026, 11, 12)),   # already on the weekday
    ('a', FRI, D(2026, 11, 6)),    # last Friday on or before the 12th
    ('b', MON, D(2026, 11, 16)),   # 17 Nov (Tue) -> Monday 16th, every two weeks
    ('c', MON, D(2026, 11, 30)),   # 2 Dec (Wed) -> Monday 30 Nov, every four weeks
    ('c', WED, D(2026, 12, 2)),
])
def test_next_due_on_the_preferred_weekday_never_later_than_the_interval(tier, weekday, expected):
    last = D(2026, 11, 2)  # a Monday
    due = cadence.next_due(last, cadence.DEFAULT_INTERVALS[tier], TODAY, weekday)
    assert due == expected
    assert due.weekday() == weekday
    assert last < due <= last + datetime.timedelta(days=cadence.DEFAULT_INTERVALS[tier])


def test_next_due_short_interval_moves_forward_past_the_last_visit():
    last = D(2026, 11, 2)  # Monday; 3 days -> Thursday 5th; last Monday on or before is the 2nd itself
    assert cadence.next_due(last, 3, TODAY, MON) == D(2026, 11, 9)
    assert cadence.next_due(last, 3, TODAY, WED) == D(2026, 11, 4)


def test_never_visited_is_due_now_on_the_preferred_weekday():
    assert cadence.next_due(None, 10, TODAY) == TODAY
    assert cadence.next_due(None, 10, TODAY, TUE) == TODAY
    assert cadence.next_due(None, 30, TODAY, FRI) == D(2026, 11, 27)


def test_never_visited_is_due_from_the_day_it_was_tiered():
    tiered = D(2026, 9, 30)  # a Wednesday
    assert cadence.next_due(None, 10, TODAY, since=tiered) == tiered
    assert cadence.next_due(None, 10, TODAY, FRI, since=tiered) == D(2026, 10, 2)
    assert cadence.is_overdue(cadence.next_due(None, 10, TODAY, FRI, since=tiered), TODAY)


def test_no_cadence_without_an_interval():
    assert cadence.next_due(D(2026, 11, 2), 0, TODAY) is None
    assert cadence.next_due(None, None, TODAY) is None
    assert not cadence.must_plan(None, TODAY)
    assert not cadence.is_overdue(None, TODAY)


def test_overdue():
    assert cadence.is_overdue(D(2026, 11, 23), TODAY)
    assert not cadence.is_overdue(TODAY, TODAY)


def test_must_plan_within_the_horizon_only():
    assert cadence.must_plan(TODAY, TODAY)
    assert cadence.must_plan(D(2026, 12, 1), TODAY)            # 7 days ahead: inside
    assert not cadence.must_plan(D(2026, 12, 2), TODAY)        # 8 days ahead
    assert cadence.must_plan(D(2026, 11, 1), TODAY)            # overdue
    assert not cadence.must_plan(TODAY, TODAY, already_planned=True)
    assert not cadence.must_plan(TODAY, TODAY, opted_out=True)
    assert cadence.must_plan(D(2026, 12, 8), TODAY, horizon_days=14)


def test_planned_date_moves_overdue_visits_to_the_next_preferred_weekday():
    assert cadence.planned_date(D(2026, 11, 27), TODAY, FRI) == D(2026, 11, 27)
    assert cadence.planned_date(D(2026, 11, 16), TODAY, MON) == D(2026, 11, 30)
    assert cadence.planned_date(D(2026, 11, 16), TODAY) == TODAY


def test_visitors_per_tier():
    assert cadence.visitors('a', 7, 3) == [7, 3]
    assert cadence.visitors('b', 7, 3) == [7, 3]
    assert cadence.visitors('c', 7, 3) == [7]
    assert cadence.visitors('a', 7, 7) == [7]              # the salesperson leads the team
    assert cadence.visitors('a', None, 3) == [3]
    assert cadence.visitors('c', None, 3) == []
    assert cadence.visitors('a', 7, None) == [7]
    assert cadence.visitors('c', 7, 3, leader_tiers=('a', 'b', 'c')) == [7, 3]


def test_top_visitors():
    assert cadence.top_visitors([1, 2, 1], 3, 7) == [1, 2, 7]
    assert cadence.top_visitors([], 3, 7) == [3, 7]
    assert cadence.top_visitors([], None, 7) == [7]
    assert cadence.top_visitors([7], 3, 7) == [7]


def test_periods_under_way():
    assert cadence.periods_under_way(D(2026, 2, 1)) == [('monthly', D(2026, 2, 1)), ('quarterly', D(2026, 1, 1))]
    assert cadence.periods_under_way(D(2026, 5, 17)) == [('monthly', D(2026, 5, 1)), ('quarterly', D(2026, 4, 1))]
    assert cadence.periods_under_way(D(2026, 12, 31)) == [('monthly', D(2026, 12, 1)), ('quarterly', D(2026, 10, 1))]


def test_period_bounds():
    assert cadence.period_start(D(2026, 5, 17), 'monthly') == D(2026, 5, 1)
    assert cadence.period_start(D(2026, 5, 17), 'quarterly') == D(2026, 4, 1)
    assert cadence.period_start(D(2026, 12, 31), 'quarterly') == D(2026, 10, 1)
    assert cadence.period_end(D(2026, 2, 1), 'monthly') == D(2026, 2, 28)
    assert cadence.period_end(D(2026, 10, 1), 'quarterly') == D(2026, 12, 31)
    assert cadence.period_end(D(2026, 12, 1), 'monthly') == D(2026, 12, 31)
    with pytest.raises(ValueError):
        cadence.period_start(TODAY, 'weekly')


@pytest.mark.parametrize("tier, monthly, quarterly", [
    ('a', True, True), ('b', True, True), ('c', True, False), (None, False, False)])
def test_survey_applies_per_tier(tier, monthly, quarterly):
    assert cadence.survey_applies(tier, 'monthly') is monthly
    assert cadence.survey_applies(tier, 'quarterly') is quarterly


def test_satisfaction_and_follow_up():
    assert cadence.satisfaction([5, 4, 3]) == 4.0
    assert cadence.satisfaction([2, 0, None, 1]) == 1.5
    assert cadence.satisfaction([]) is None
    assert cadence.needs_follow_up(2.0)
    assert cadence.needs_follow_up(1.5)
    assert not cadence.needs_follow_up(2.01)
    assert not cadence.needs_follow_up(None)
    assert not cadence.needs_follow_up(0)


def test_expected_visits():
    assert cadence.expected_visits(30, 10) == 3.0
    assert cadence.expected_visits(31, 15) == 2.07
    assert cadence.expected_visits(30, 0) == 0.0


def test_visit_time_is_an_hour_of_the_day():
    assert cadence.valid_time(0) and cadence.valid_time(None) and cadence.valid_time(23.99)
    assert not cadence.valid_time(24) and not cadence.valid_time(-1)
