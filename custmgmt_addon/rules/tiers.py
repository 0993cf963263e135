"""A/B/C customer tiers: the window, the Pareto cut and the amount cut.

Seed 001 §五: average each customer's monthly sales over the last N months,
rank by that average and cut the ranking into strategic (A), key (B) and
general (C) customers, either by cumulative share of sales (Pareto) or by a
grade standard amount (等级标准额).
"""
import datetime
from collections import namedtuple

# the tiers (客户分级), as the Selection fields of the addon list them
TIER_SELECTION = [
    ('a', 'A – Strategic'),
    ('b', 'B – Key'),
    ('c', 'C – General'),
]

TIERS = ('a', 'b', 'c')
METHODS = ('pareto', 'amount')

TierResult = namedtuple('TierResult', 'tier rank share_before average')
# what is stored for a partner in a company (the tier, its average, its position)
TierStored = namedtuple('TierStored', 'tier average rank share_before computed_on locked')
# a partner whose stored values differ from the computed ones: ``partner_changed`` when the
# tier or the average differ, ``position_changed`` when the rank, the share or the date differ
TierUpdate = namedtuple('TierUpdate', 'partner_id old_tier new_tier average rank share_before '
                                      'partner_changed position_changed')
# one tier change of a partner in a company, as the tier history records it
TierChange = namedtuple('TierChange', 'partner_id old_tier new_tier average note', defaults=(None,))


def tier_window(today, months):
    """Return ``(start, end)`` of the ``months`` complete calendar months
    before ``today``: ``start`` is the first day of the oldest month, ``end``
    the first day of the current month (exclusive).

    >>> tier_window(datetime.date(2026, 11, 24), 3)
    (datetime.date(2026, 8, 1), datetime.date(2026, 11, 1))
    """
    if not 1 <= months <= 12:
        raise ValueError("months must be between 1 and 12")
    end = today.replace(day=1)
    index = end.year * 12 + (end.month - 1) - months
    start = datetime.date(index // 12, index % 12 + 1, 1)
    return start, end


def check_policy(method, months, a_share, b_share, a_amount, b_amount):
    """Return the list of problems of a tier policy (empty when valid).

    Each problem is a ``(code, message)`` pair with an English message that
    the caller translates; the shares are only checked for the Pareto method
    and the amounts only for the amount method, so that a company whose
    method is Pareto is never blocked by its unused amount cut points.
    """
    problems = []
    if method not in METHODS:
        problems.append(('method', "Unknown tier method."))
    if not 1 <= (months or 0) <= 12:
        problems.append(('months', "The tier window must be between 1 and 12 months."))
    if method == 'pareto' and not 0 < a_share < b_share <= 100:
        problems.append(('shares', "Pareto cut points must satisfy 0 < A share < B share <= 100."))
    if method == 'amount' and not a_amount > b_amount >= 0:
        problems.append(('amounts', "Grade standard amounts must satisfy A amount > B amount >= 0."))
    # the cut points of the other method are kept for later: in range all the same
    if method != 'pareto' and not (0 <= (a_share or 0) <= 100 and 0 <= (b_share or 0) <= 100):
        problems.append(('share_range', "Shares are percentages from 0 to 100."))
    if method != 'amount' and ((a_amount or 0) < 0 or (b_amount or 0) < 0):
        problems.append(('amount_range', "Grade standard amounts cannot be negative."))
    return problems


def rank_averages(averages):
    """Rank ``{key: average}`` highest first.

    Return ``{key: (rank, sum_before)}`` where ``rank`` is the competition
    rank (equal averages share the best rank) and ``sum_before`` the sum of
    the positive averages ranked strictly above (equal averages share it).
    """
    ordered = sorted(averages.items(), key=lambda item: item[1], reverse=True)
    result = {}
    running = 0.0
    group_start = 0
    group_sum = running
    previous = None
    for position, (key, average) in enumerate(ordered):
        if previous is None or average != previous:
            group_start = position
            group_sum = running
            previous = average
        result[key] = (group_start + 1, group_sum)
        if average > 0:
            running += average
    return result


def classify(averages, method='pareto', a_share=80.0, b_share=95.0,
             a_amount=0.0, b_amount=0.0):
    """Classify customers by their monthly average.

    :param averages: ``{key: monthly average}`` of every customer to tier
    :return: ``{key: TierResult(tier, rank, share_before, average)}`` where
        ``share_before`` is the percentage of the total of positive averages
        made by the customers ranked strictly above.
    """
    ranks = rank_averages(averages)
    total = sum(a for a in averages.values() if a > 0)
    # tolerance so that a cumulative sum that is "exactly" the cut point in
    # decimal arithmetic is not taken as below it because of float noise
    eps = total * 1e-9
    result = {}
    for key, average in averages.items():
        rank, before = ranks[key]
        share_before = (before / total * 100.0) if total > 0 else 0.0
        if average <= 0:
            tier = 'c'
        elif method == 'amount':
            tier = 'a' if average >= a_amount else 'b' if average >= b_amount else 'c'
        elif before < total * a_share / 100.0 - eps:
            tier = 'a'
        elif before < total * b_share / 100.0 - eps:
            tier = 'b'
        else:
            tier = 'c'
        result[key] = TierResult(tier, rank, share_before, average)
    return result


def tier_direction(old_tier, new_tier):
    """``'up'``, ``'down'``, ``'first'`` (no tier before) or ``None``."""
    if old_tier == new_tier:
        return None
    if not old_tier:
        return 'first'
    if not new_tier:
        return 'down'
    return 'up' if TIERS.index(new_tier) < TIERS.index(old_tier) else 'down'


def summarize(results):
    """Counts and sales share per tier, for the policy preview.

    :return: ``{tier: (count, share_percent)}`` for a, b and c.
    """
    total = sum(r.average for r in results.values() if r.average > 0)
    summary = {tier: [0, 0.0] for tier in TIERS}
    for r in results.values():
        summary[r.tier][0] += 1
        if r.average > 0 and total:
            summary[r.tier][1] += r.average / total * 100.0
    return {tier: (count, share) for tier, (count, share) in summary.items()}


def updates(results, stored, today):
    """What to write after a computation: ``results`` ``{partner_id:
    TierResult}`` (the partners invoiced now), ``stored`` ``{partner_id:
    TierStored}`` (those and every partner holding a tier). A locked tier
    stays; a partner no longer invoiced loses its tier (unless locked).
    Returns the :data:`TierUpdate` list, sorted by partner."""
    result_updates = []
    for partner_id, old in stored.items():
        result = results.get(partner_id)
        if result is None:
            if old.tier and not old.locked:
                result_updates.append(TierUpdate(partner_id, old.tier, None, None, None, None, True, True))
            continue
        new_tier = old.tier if (old.locked and old.tier) else result.tier
        share = round(result.share_before, 2)
        partner_changed = (new_tier, result.average) != (old.tier, old.average)
        position_changed = (result.rank, share, today) != (old.rank, old.share_before, old.computed_on)
        if partner_changed or position_changed:
            result_updates.append(TierUpdate(partner_id, old.tier, new_tier, result.average, result.rank, share,
                                             partner_changed, position_changed))
    result_updates.sort()
    return result_updates
