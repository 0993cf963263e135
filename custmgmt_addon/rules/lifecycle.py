"""Customer lifecycle (seed 001 §一: 老客户, 新客户, 未来客户; 正在交易).

Where a customer is in its life with the company, from its posted customer
invoices and its sale orders in that company:

- ``prospect`` (未来客户): never invoiced, with a quotation or an order;
- ``new`` (新客户): first invoice less than N months ago;
- ``regular`` (老客户): first invoice N months ago or more, still buying;
- ``dormant`` (休眠客户): bought before, nothing invoiced for D months;
- ``lost`` (流失客户): nothing invoiced for L months, or set by a Manager.

"Trading now" (正在交易) is a flag beside the stage: confirmed orders not
fully invoiced. A threshold date belongs to the older stage: an invoice
exactly N months ago is no longer new, one exactly D months ago is dormant.
Only invoices count as buying: refunds neither make nor keep a customer.
"""
import calendar
import datetime
from collections import namedtuple

STAGES = ('prospect', 'new', 'regular', 'dormant', 'lost')
MAX_MONTHS = 120

# what the invoices and orders of one company say about a commercial partner
LifecycleFacts = namedtuple('LifecycleFacts', 'first_invoice last_invoice quoted trading peak_tier',
                            defaults=(None, None, False, False, None))
# what is stored for a partner in a company
LifecycleStored = namedtuple('LifecycleStored', 'stage trading first_invoice last_invoice peak_tier locked',
                             defaults=(None, False, None, None, None, False))
# a partner whose stored values differ from the computed ones
LifecycleUpdate = namedtuple('LifecycleUpdate', 'partner_id old_stage new_stage trading first_invoice '
                                                'last_invoice peak_tier')
# one stage change of a partner in a company, as the lifecycle history records it
StageChange = namedtuple('StageChange', 'partner_id old_stage new_stage last_invoice note', defaults=(None,))

NO_FACTS = LifecycleFacts()
NOTHING_STORED = LifecycleStored()


def months_before(today, months):
    """The same day ``months`` calendar months before ``today`` (the last
    day of that month when it is shorter).

    >>> months_before(datetime.date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    index = today.year * 12 + (today.month - 1) - months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def check_policy(new_months, dormant_months, lost_months):
    """The problems of a lifecycle policy, as ``(code, message)`` pairs with
    English messages the caller translates (empty when valid)."""
    problems = []
    if not all(1 <= (months or 0) <= MAX_MONTHS for months in (new_months, dormant_months, lost_months)):
        problems.append(('range', "Lifecycle thresholds are months from 1 to 120."))
    elif not dormant_months < lost_months:
        problems.append(('order', "A customer is dormant before it is lost: dormant months < lost months."))
    return problems


def stage(facts, today, new_months=12, dormant_months=6, lost_months=12, locked=False):
    """The stage of one customer on ``today``, or None (never invoiced, no
    quotation: not a customer yet). A lock (set by a Manager) is lost."""
    if locked:
        return 'lost'
    if not facts.last_invoice:
        return 'prospect' if facts.quoted else None
    if facts.last_invoice <= months_before(today, lost_months):
        return 'lost'
    if facts.last_invoice <= months_before(today, dormant_months):
        return 'dormant'
    if facts.first_invoice > months_before(today, new_months):
        return 'new'
    return 'regular'


def updates(facts, stored, today, new_months=12, dormant_months=6, lost_months=12):
    """What to write after a computation: ``facts`` ``{partner_id:
    LifecycleFacts}`` (the partners with invoices or orders now), ``stored``
    ``{partner_id: LifecycleStored}`` (those and every partner holding a
    stage, the flag or a lock). Returns the :data:`LifecycleUpdate` list of
    the partners whose values change, sorted by partner."""
    result = []
    for partner_id in sorted(set(facts) | set(stored)):
        fact = facts.get(partner_id, NO_FACTS)
        old = stored.get(partner_id, NOTHING_STORED)
        new_stage = stage(fact, today, new_months, dormant_months, lost_months, locked=old.locked)
        new = (new_stage, bool(fact.trading), fact.first_invoice, fact.last_invoice, fact.peak_tier)
        if new != (old.stage, bool(old.trading), old.first_invoice, old.last_invoice, old.peak_tier):
            result.append(LifecycleUpdate(partner_id, old.stage, *new))
    return result

