"""Service by tier: visit cadence and survey periods (seed 000 §五, seed 004).

Strategic (A) and key (B) customers are visited by their salesperson and the
sales team leader, general (C) customers by the salesperson alone; A customers
also get a regular top-management visit (高层定期互访). Each customer is visited
on a fixed weekday (seed 004: 固定的一天和固定时间). Every customer is surveyed by
phone each month; A and B customers also each quarter by a mid-level sales
manager (seed 000 §五.6).

Weekdays are Python's: Monday is 0, Sunday 6.
"""
import datetime

TIERS = ('a', 'b', 'c')
HORIZON_DAYS = 7
DEFAULT_INTERVALS = {'a': 10, 'b': 15, 'c': 30}
DEFAULT_LEADER_TIERS = ('a', 'b')
DEFAULT_TOP_INTERVAL = 90
# survey kinds and the tiers each applies to
SURVEY_TIERS = {
    'monthly': ('a', 'b', 'c'),
    'quarterly': ('a', 'b'),
}
LOW_SCORE = 2.0

_DAY = datetime.timedelta(days=1)


def weekday_on_or_after(day, weekday):
    """The first date on or after ``day`` that falls on ``weekday`` (``day``
    itself when ``weekday`` is None)."""
    if weekday is None:
        return day
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def weekday_on_or_before(day, weekday):
    """The last date on or before ``day`` that falls on ``weekday``."""
    if weekday is None:
        return day
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def next_due(last_done, interval_days, today, weekday=None, since=None):
    """Date the next visit is due.

    - never visited: due on the first preferred weekday from ``since`` on
      (the day the customer was first tiered), or from ``today`` when that is
      not known;
    - otherwise ``last_done + interval_days``, brought back to the last
      preferred weekday on or before that date, so that the interval is never
      exceeded (an interval of 10 days with a fixed weekday means a weekly
      visit, 15 days a visit every two weeks); when that falls on or before the
      last visit (intervals shorter than a week), the first preferred weekday
      after the last visit.

    Returns None when there is no cadence (``interval_days`` not positive)
    or when the due date would be past the last date Python knows.

    >>> next_due(datetime.date(2026, 11, 2), 10, datetime.date(2026, 11, 5), 0)
    datetime.date(2026, 11, 9)
    """
    if not interval_days or interval_days <= 0:
        return None
    try:
        if last_done is None:
            return weekday_on_or_after(since or today, weekday)
        target = last_done + datetime.timedelta(days=interval_days)
        due = weekday_on_or_before(target, weekday)
        if due <= last_done:
            due = weekday_on_or_after(last_done + _DAY, weekday)
    except OverflowError:
        # a date stored before the range checks (year 9999): nothing is due
        return None
    return due


def valid_time(hours):
    """A visit time is an hour of the day: 0 (midnight) up to, not including, 24."""
    return 0 <= (hours or 0.0) < 24


def is_overdue(due, today):
    """A visit is overdue when its due date has passed."""
    return due is not None and due < today


def must_plan(due, today, horizon_days=HORIZON_DAYS, already_planned=False, opted_out=False):
    """Whether a visit must be planned now: one is due within the horizon
    (overdue ones included), none is planned yet, and the customer takes visits."""
    if opted_out or already_planned or due is None:
        return False
    return due <= today + datetime.timedelta(days=horizon_days)


def planned_date(due, today, weekday=None):
    """The date to plan a visit on: its due date, or, when that has passed,
    the first preferred weekday from ``today`` on."""
    if due >= today:
        return due
    return weekday_on_or_after(today, weekday)


def visitors(tier, salesperson_id, leader_id, leader_tiers=DEFAULT_LEADER_TIERS):
    """User ids who make a routine visit: the salesperson, plus the sales team
    leader for the tiers in ``leader_tiers``. The first one is responsible; a
    customer without salesperson is visited by the leader alone when the tier
    calls for the leader, by nobody otherwise (empty list)."""
    ids = [salesperson_id] if salesperson_id else []
    if leader_id and tier in leader_tiers and leader_id not in ids:
        ids.append(leader_id)
    return ids


def top_visitors(top_ids, leader_id, salesperson_id):
    """User ids who make a top-management visit: the top managers, hosted by
    the salesperson; without top managers set, the team leader stands in."""
    ids = [uid for uid in dict.fromkeys(top_ids or []) if uid]
    if not ids and leader_id:
        ids.append(leader_id)
    if salesperson_id and salesperson_id not in ids:
        ids.append(salesperson_id)
    return ids


# ----------------------------------------------------------------------
# survey periods
# ----------------------------------------------------------------------

def period_start(day, kind):
    """First day of the month or quarter that contains ``day``."""
    if kind == 'monthly':
        return day.replace(day=1)
    if kind == 'quarterly':
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    raise ValueError(f"unknown survey period {kind!r}")


def period_end(start, kind):
    """Last day of the period that starts on ``start``."""
    months = {'monthly': 1, 'quarterly': 3}[kind]
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1) - _DAY


def periods_under_way(day):
    """The survey periods under way on ``day``: ``[(kind, start), ...]``, the
    month and the quarter that contain it. A run plans each of them once per
    customer (the caller keeps one plan per customer, kind and period), so a
    day missed by the scheduler, a first run in mid-month or a customer tiered
    mid-period is caught up, and a period already over never is."""
    return [(kind, period_start(day, kind)) for kind in SURVEY_TIERS]


def survey_applies(tier, kind):
    """Whether a customer of ``tier`` is surveyed in periods of ``kind``."""
    return tier in SURVEY_TIERS.get(kind, ())


# ----------------------------------------------------------------------
# satisfaction
# ----------------------------------------------------------------------

def satisfaction(scores):
    """Average of the 1–5 satisfaction scores answered (unanswered ones, 0 or
    None, do not count); None when nothing was answered."""
    answered = [float(score) for score in scores if score]
    if not answered:
        return None
    return round(sum(answered) / len(answered), 2)


def needs_follow_up(score, threshold=LOW_SCORE):
    """An answer whose average score is at most ``threshold`` calls for a
    follow-up by the salesperson's manager."""
    return score is not None and 0 < score <= threshold


def expected_visits(days, interval_days):
    """Visits the cadence calls for in ``days`` days (for reports)."""
    if not interval_days or interval_days <= 0:
        return 0.0
    return round(days / interval_days, 2)
