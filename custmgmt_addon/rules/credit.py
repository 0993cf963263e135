"""Credit and receivables (seed 001 §四, seed 003 第六式) as plain rules."""

BUCKETS = ('not_due', '1_30', '31_60', '61_90', 'over_90')

# An open receivable item, written once for every query that reads them (credit
# figures, the hold's check, the aging report, the collection matrix): a posted,
# unreconciled line of a receivable account with something still open, read as
# ``line`` joined to its ``account`` and its ``partner``.
OPEN_ITEM_JOINS = """JOIN account_account account ON account.id = line.account_id
                      JOIN res_partner partner ON partner.id = line.partner_id"""
OPEN_ITEM_CONDITION = """account.account_type = 'asset_receivable'
                       AND line.parent_state = 'posted'
                       AND line.reconciled IS NOT TRUE
                       AND line.amount_residual != 0"""


def policy_is_valid(long_days, hold_days, interval_days, large_amount):
    """The credit and collection policy's thresholds: days at least 1, the
    large amount not negative."""
    return min(long_days, hold_days, interval_days) >= 1 and large_amount >= 0


def aging_bucket(days_overdue):
    """Aging bucket of an open item overdue by ``days_overdue`` days (≤ 0: not due)."""
    if days_overdue <= 0:
        return 'not_due'
    if days_overdue <= 30:
        return '1_30'
    if days_overdue <= 60:
        return '31_60'
    if days_overdue <= 90:
        return '61_90'
    return 'over_90'


def hold_reasons(credit_limit, exposure, order_total, oldest_overdue_days, hold_days):
    """Why an order must not be confirmed: 'limit' when the customer has a credit
    limit and exposure + this order exceeds it, 'overdue' when an open item is
    overdue by more than the hold threshold. Empty: the order may be confirmed."""
    reasons = []
    if credit_limit and exposure + order_total > credit_limit:
        reasons.append('limit')
    if hold_days is not None and oldest_overdue_days > hold_days:
        reasons.append('overdue')
    return reasons


def quadrant(oldest_overdue_days, overdue_amount, long_days, large_amount):
    """The collection matrix (seed 003): long = oldest overdue ≥ long threshold,
    large = overdue amount ≥ large threshold."""
    long_ = oldest_overdue_days >= long_days
    large = overdue_amount >= large_amount
    return ('long' if long_ else 'short') + '_' + ('large' if large else 'small')


# quadrant -> who acts and how
MATRIX = {
    'short_small': (('collector', 'reminder'),),
    'long_small': (('customer', 'dunning_letter'),),
    'short_large': (('salesperson', 'collection_visit'),),
    'long_large': (('salesperson', 'special_measures'), ('finance_manager', 'special_measures')),
}


def matrix_actions(quadrant_name):
    return MATRIX[quadrant_name]


def next_dunning_level(level, last_date, today, interval_days, max_level=3):
    """The dunning level goes up one step at most once per interval, up to ``max_level``."""
    if level >= max_level:
        return level
    if last_date and (today - last_date).days < interval_days:
        return level
    return level + 1


def exception_covers(approved, requested):
    """Whether an approved credit exception covers a document.

    :param approved: ``(customer_id, currency_id, amount)`` of the approval
    :param requested: ``(customer_id, currency_id, amount)`` of the order or
        invoice now, amounts rounded to the currency
    An approval covers that customer, that currency and at most that amount.
    """
    return approved[0] == requested[0] and approved[1] == requested[1] and requested[2] <= approved[2]


def paid_online(done_amounts, required_amount):
    """Whether done online payments cover the amount required to confirm an
    order (``required_amount`` > 0, amounts rounded to the order's currency)."""
    return bool(done_amounts) and required_amount > 0 and sum(done_amounts) >= required_amount


def exception_deciders(finance_user_ids, collection_user_id, requester_id):
    """Who is asked to decide a credit exception: the company's collection
    user when it has one, else its Finance users; never the requester (four
    eyes). Sorted, without duplicates."""
    candidates = [collection_user_id] if collection_user_id else list(finance_user_ids)
    if candidates == [requester_id]:
        candidates = list(finance_user_ids)
    return sorted({user_id for user_id in candidates if user_id and user_id != requester_id})


def limit_is_valid(credit_limit):
    """A credit limit is an amount of 0 or more (0: no limit)."""
    return credit_limit is None or credit_limit is False or credit_limit >= 0


# the receivable items of customer invoices settled since a date, with their due date and
# the date of their last payment: what the payment delay averages (the customer's figures,
# the early warnings, the evaluation's cooperation). Placeholders: company, since, partners
# (an SQL condition on partner.commercial_partner_id, or nothing).
SETTLED_ITEMS_QUERY = """
            SELECT partner.commercial_partner_id AS partner_id,
                   COALESCE(line.date_maturity, line.date) AS due,
                   MAX(partial.max_date) AS paid_on
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
               AND line.reconciled
               AND move.move_type = 'out_invoice'
               AND line.company_id = %(company)s
               AND partial.max_date >= %(since)s
               %(partners)s
          GROUP BY line.id, partner.commercial_partner_id
"""
