"""Early warnings (预警, seed 002 and seed 001 §三 and §五): the condition of
each kind of warning as a plain function.

Each function takes the figures of one customer in one company (fetched by
one grouped query per kind) and the company's thresholds, and returns a
:class:`Signal` when the warning holds, ``None`` when it does not. A signal
carries the figures that triggered it (current value, reference value,
threshold) and its severity.
"""
import datetime
import statistics
from collections import namedtuple

# kind -> number in the contract (README "Early warnings (the contract)")
KINDS = ('key_decline', 'churn', 'slow_payment', 'satisfaction', 'complaints',
         'tier_down', 'service_gap', 'stale_archive', 'decision_chain', 'credit')
SEVERITIES = ('info', 'warning', 'critical')
# the kinds whose warnings also go to the company's collection user
FINANCE_KINDS = ('slow_payment', 'credit')
KEY_TIERS = ('a', 'b')

DEFAULTS = {
    'decline_months': 3,
    'decline_pct': 30.0,
    'churn_factor': 2.0,
    'churn_min_days': 30,
    'churn_intervals': 12,
    'delay_days': 15.0,
    'overdue_days': 60,
    'on_time_days': 5.0,
    'satisfaction_low': 2.0,
    'satisfaction_drop': 1.0,
    'complaint_count': 3,
    'complaint_days': 30,
    'stale_months': 6,
    'credit_pct': 90.0,
}

Signal = namedtuple('Signal', 'severity current reference threshold')

_TIER_RANK = {'a': 0, 'b': 1, 'c': 2}


def add_months(day, months):
    """``day`` moved by ``months`` calendar months (the last day of the month
    when the day does not exist there)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + datetime.timedelta(days=day.day - 1),
               following - datetime.timedelta(days=1))


def decline_windows(today, months):
    """The three windows of kind 1, each ``(start, end)`` (end excluded):
    the last ``months`` complete calendar months, the ``months`` before them,
    and the same months a year before.

    >>> decline_windows(datetime.date(2026, 11, 24), 3)[0]
    (datetime.date(2026, 8, 1), datetime.date(2026, 11, 1))
    """
    end = today.replace(day=1)
    start = add_months(end, -months)
    return ((start, end), (add_months(start, -months), start), (add_months(start, -12), add_months(end, -12)))


def severity_rank(severity):
    return SEVERITIES.index(severity)


# ----------------------------------------------------------------------
# 1. key-customer decline (重点客户流失风险)
# ----------------------------------------------------------------------

def key_decline(tier, recent, previous, year_before, drop_pct=DEFAULTS['decline_pct']):
    """An A or B customer whose net sales (refunds deducted) of the last N
    months fell by ``drop_pct`` % or more against the N months before or
    the same months a year before. The reference is the one that fell most;
    a reference of 0 or less (nothing sold then) is no reference. Critical
    for an A customer."""
    if tier not in KEY_TIERS:
        return None
    best = None
    for reference in (previous, year_before):
        if not reference or reference <= 0:
            continue
        drop = (reference - (recent or 0.0)) * 100.0 / reference
        if drop >= drop_pct - 1e-9 and (best is None or reference > best):
            best = reference
    if best is None:
        return None
    return Signal('critical' if tier == 'a' else 'warning', round(recent or 0.0, 2), round(best, 2), drop_pct)


# ----------------------------------------------------------------------
# 2. churn risk
# ----------------------------------------------------------------------

def usual_interval(invoice_dates, last=DEFAULTS['churn_intervals']):
    """Median of the last ``last`` intervals in days between the distinct
    invoice dates; None with fewer than two dates (no usual interval yet)."""
    days = sorted(set(invoice_dates))[-(last + 1):]
    if len(days) < 2:
        return None
    return float(statistics.median((b - a).days for a, b in zip(days, days[1:])))


def churn(invoice_dates, today, factor=DEFAULTS['churn_factor'], min_days=DEFAULTS['churn_min_days'],
          intervals=DEFAULTS['churn_intervals']):
    """No posted invoice for longer than ``factor`` times the customer's usual
    interval (median of its last ``intervals`` intervals), and never less than
    ``min_days``. A customer invoiced once has no usual interval: no warning.
    Critical beyond twice that threshold."""
    median = usual_interval(invoice_dates, intervals)
    if median is None:
        return None
    silent = (today - max(invoice_dates)).days
    threshold = max(factor * median, float(min_days))
    if silent <= threshold:
        return None
    return Signal('critical' if silent > 2 * threshold else 'warning', float(silent), median, threshold)


# ----------------------------------------------------------------------
# 3. silent dissatisfaction: slower payment (沉默的不满, 回款变慢)
# ----------------------------------------------------------------------

def slow_payment(recent_delay, year_delay, oldest_overdue_days, delay_days=DEFAULTS['delay_days'],
                 overdue_days=DEFAULTS['overdue_days'], on_time_days=DEFAULTS['on_time_days']):
    """Seed 002: an unhappy customer pays later instead of complaining.

    - the average payment delay of the invoices settled in the last 3 months
      exceeds the 12-month average by ``delay_days`` or more (a warning);
    - or an item is overdue more than ``overdue_days`` for a customer that
      used to pay on time (settled invoices in the last 12 months, ``on_time_days``
      late at most on average): critical.

    Delays are None when nothing was settled in the window."""
    if oldest_overdue_days and oldest_overdue_days > overdue_days \
            and year_delay is not None and year_delay <= on_time_days:
        return Signal('critical', float(oldest_overdue_days), round(year_delay, 1), float(overdue_days))
    if recent_delay is None or year_delay is None:
        return None
    if recent_delay - year_delay >= delay_days - 1e-9:
        return Signal('warning', round(recent_delay, 1), round(year_delay, 1), float(delay_days))
    return None


# ----------------------------------------------------------------------
# 4. satisfaction drop
# ----------------------------------------------------------------------

def satisfaction(latest, previous, low=DEFAULTS['satisfaction_low'], drop=DEFAULTS['satisfaction_drop']):
    """The latest opinion score (1–5) is ``low`` or less (critical), or fell
    by ``drop`` points or more from the previous one (a warning). No answer,
    no warning."""
    if not latest:
        return None
    if latest <= low + 1e-9:
        return Signal('critical', latest, previous or 0.0, low)
    if previous and previous - latest >= drop - 1e-9:
        return Signal('warning', latest, previous, drop)
    return None


# ----------------------------------------------------------------------
# 5. complaint surge
# ----------------------------------------------------------------------

def complaint_surge(tier, count, quality_count, threshold=DEFAULTS['complaint_count']):
    """``threshold`` or more complaints in the window (a warning), or any
    quality complaint from an A customer (critical)."""
    if tier == 'a' and quality_count:
        return Signal('critical', float(count), float(quality_count), float(threshold))
    if count >= threshold:
        return Signal('warning', float(count), 0.0, float(threshold))
    return None


# ----------------------------------------------------------------------
# 6. tier down
# ----------------------------------------------------------------------

def tier_down(old_tier, new_tier, changed_on, last_run_on):
    """The last monthly recompute moved the customer down: its latest tier
    change is a move down made by the recompute of ``last_run_on`` (a later
    recompute that left it there clears it). Two tiers down (A to C) is
    critical, from A a warning, else information. Figures: the old and the new
    tier as 1 (A) to 3 (C)."""
    if not old_tier or not new_tier or not changed_on or changed_on != last_run_on:
        return None
    steps = _TIER_RANK[new_tier] - _TIER_RANK[old_tier]
    if steps <= 0:
        return None
    severity = 'critical' if steps >= 2 else 'warning' if old_tier == 'a' else 'info'
    return Signal(severity, float(_TIER_RANK[new_tier] + 1), float(_TIER_RANK[old_tier] + 1), 0.0)


# ----------------------------------------------------------------------
# 7. service gap
# ----------------------------------------------------------------------

def service_gap(tier, due, interval_days, today):
    """A routine visit overdue by more than one full interval (the due date is
    the visit cadence's, ``rules.cadence.next_due``). A warning for A and B
    customers, information for the others. Figures: days overdue, the
    interval."""
    if due is None or not interval_days or interval_days <= 0:
        return None
    late = (today - due).days
    if late <= interval_days:
        return None
    return Signal('warning' if tier in KEY_TIERS else 'info', float(late), float(interval_days), float(interval_days))


# ----------------------------------------------------------------------
# 8. stale archive (动态管理, seed 001 §三)
# ----------------------------------------------------------------------

def stale_archive(tier, reviewed_on, created_on, today, months=DEFAULTS['stale_months']):
    """An A or B customer whose archive was not reviewed for ``months``
    months: since its last review, or since it was created when never
    reviewed (a brand-new customer is not stale). Figures: months since."""
    if tier not in KEY_TIERS:
        return None
    since = reviewed_on or created_on
    if not since or add_months(since, months) > today:
        return None
    elapsed = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    return Signal('info', float(elapsed), 0.0, float(months))


# ----------------------------------------------------------------------
# 9. decision-chain change
# ----------------------------------------------------------------------

def decision_chain(tier, archived_leaders, active_leaders, archived_coaches, active_coaches):
    """The leader or the inside coach (向导) of an A or B customer was
    archived and nobody active holds that role now: a warning until the
    decision chain is filled again. Figures: archived people without
    successor, the active ones."""
    if tier not in KEY_TIERS:
        return None
    gaps = (archived_leaders > 0 and active_leaders == 0) + (archived_coaches > 0 and active_coaches == 0)
    if not gaps:
        return None
    return Signal('warning', float(gaps), float(active_leaders + active_coaches), 0.0)


# ----------------------------------------------------------------------
# 10. credit
# ----------------------------------------------------------------------

def credit(exposure, credit_limit, pct=DEFAULTS['credit_pct']):
    """The credit exposure is at ``pct`` % or more of the credit limit (the
    next order will be held): critical at the limit or above. No limit (0),
    no warning."""
    if not credit_limit or credit_limit <= 0:
        return None
    used = exposure * 100.0 / credit_limit
    if used < pct - 1e-9:
        return None
    return Signal('critical' if exposure >= credit_limit else 'warning', round(exposure, 2),
                  round(credit_limit, 2), pct)


# ----------------------------------------------------------------------
# routing and reconciliation
# ----------------------------------------------------------------------

def recipients(kind, severity, tier, salesperson_id, leader_id, collector_id):
    """User ids told of a warning, the responsible first: the salesperson;
    the sales team leader too for critical warnings and every warning on an
    A customer; the collection user too for the payment and credit kinds.
    A role that is unset falls back as the collection matrix does: to the
    salesperson, or without one to the team leader."""
    ids = [salesperson_id] if salesperson_id else []
    if leader_id and (severity == 'critical' or tier == 'a' or not ids):
        ids.append(leader_id)
    if kind in FINANCE_KINDS and collector_id:
        ids.append(collector_id)
    return list(dict.fromkeys(ids))


def reconcile(signals, live):
    """What a scan changes for one kind in one company.

    :param signals: ``{partner_id: Signal}`` where the condition holds now
    :param live: ``{partner_id: (warning_id, state)}`` of the live warnings
        (not yet seen cleared) of that kind
    :return: ``(new, cleared)``: the partner ids that get a new warning, and
        the ``(warning_id, state)`` whose condition no longer holds
    """
    new = sorted(pid for pid in signals if pid not in live)
    cleared = sorted(live[pid] for pid in live if pid not in signals)
    return new, cleared
