"""The overview's figures and the Pareto chart (seed 001 图2-2) as plain rules.

The model fetches grouped rows; these functions add them up, decide nothing
the other rules decide (the model passes ``rules.credit.quadrant`` and
``rules.tiers.tier_direction`` in) and name the months the way each language
writes them ("Sep – Nov 2026", "2026年9月–11月").
"""
import datetime

QUADRANTS = ('short_small', 'long_small', 'short_large', 'long_large')


def week_bounds(today):
    """``(monday, sunday)`` of the week of ``today``."""
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def months_back(today, count):
    """The first days of the ``count`` calendar months ending with the month of
    ``today``, oldest first.

    >>> months_back(datetime.date(2026, 2, 10), 3)
    [datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    """
    index = today.year * 12 + today.month - 1
    return [datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)]


def _chinese(lang):
    return (lang or '').startswith('zh')


def month_label(month, lang, short=False, skeleton_format=None):
    """A month as a month: "2026年11月" (short: "11月") in Chinese; in other
    languages ``skeleton_format(skeleton, date)`` (Babel's, passed by the
    caller) with ``yMMM`` / ``MMM``: "Nov 2026" / "Nov"."""
    if _chinese(lang):
        return f"{month.month}月" if short else f"{month.year}年{month.month}月"
    return skeleton_format('MMM' if short else 'yMMM', month)


def month_range_label(start, end, lang, interval_format=None):
    """The months from ``start`` to ``end``: "2026年9月–11月",
    "2025年12月–2026年11月" in Chinese (Babel's CLDR patterns say "至"); in
    other languages ``interval_format(start, end)``: "Sep – Nov 2026"."""
    if _chinese(lang):
        if start.year == end.year:
            return f"{start.year}年{start.month}月–{end.month}月"
        return f"{start.year}年{start.month}月–{end.year}年{end.month}月"
    return interval_format(start, end)


def tier_moves(rows, direction):
    """Moves up and down among history rows ``(old_tier, new_tier, count)``:
    ``{'up': n, 'down': m}``, ``direction`` being ``rules.tiers.tier_direction``
    (a first classification is neither)."""
    moves = {'up': 0, 'down': 0}
    for old_tier, new_tier, count in rows:
        moved = direction(old_tier or None, new_tier or None)
        if moved in moves:
            moves[moved] += count
    return moves


def quadrant_totals(customers, policies, quadrant):
    """Overdue amount and customers per collection quadrant, as
    ``quadrant`` (``rules.credit.quadrant``, the collection matrix's) decides it.

    :param customers: iterable of ``(company_id, partner_id, overdue_amount,
        oldest_overdue_days)``, one per overdue customer and company
    :param policies: ``{company_id: (long_days, large_amount, rate)}``, ``rate``
        converting the company's currency into the shown one
    :return: ``{quadrant: (amount, customer_count, partner_ids)}`` for the four
        quadrants (a customer overdue in two companies counts in each)
    """
    totals = {name: [0.0, 0, set()] for name in QUADRANTS}
    for company_id, partner_id, amount, days in customers:
        long_days, large_amount, rate = policies[company_id]
        total = totals[quadrant(days, amount, long_days, large_amount)]
        total[0] += amount * rate
        total[1] += 1
        total[2].add(partner_id)
    return {name: (amount, count, sorted(ids)) for name, (amount, count, ids) in totals.items()}


def pareto_points(rows, other_label=None):
    """Bars and cumulative line of a Pareto chart.

    :param rows: ``(partner_id, name, tier, average, rank, count)`` sorted by
        average, highest first; the grouped tail, if any, last with
        ``partner_id`` None, ``average`` its sum and ``count`` its customers
    :param other_label: callable ``count -> label`` of the grouped tail
    :return: list of dicts with ``id``, ``name``, ``tier``, ``average``,
        ``rank``, ``count``, ``share`` and ``cumulative`` (percent of the sum
        of the positive averages: a negative average, refunds over sales,
        takes no share, as in the tier register)
    """
    total = sum(max(row[3], 0.0) for row in rows)
    points, running = [], 0.0
    for partner_id, name, tier, average, rank, count in rows:
        share = max(average, 0.0) * 100.0 / total if total > 0 else 0.0
        running += share
        if partner_id is None and other_label:
            name = other_label(count)
        points.append({
            'id': partner_id, 'name': name, 'tier': tier, 'average': average, 'rank': rank,
            'count': count, 'share': round(share, 2), 'cumulative': round(min(running, 100.0), 2),
        })
    return points
