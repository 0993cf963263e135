"""Complaints, objections and disputes (seed 000 §四, seed 002) as plain rules."""

QUALITY = 'quality'
NON_QUALITY = 'non_quality'

CUSTOMER_CAUSES = ('rational', 'emotional', 'tactical')
SALESPERSON_CAUSES = ('bad_manner', 'exaggeration', 'jargon', 'wrong_facts', 'poor_communication', 'overbearing')

STAGES = ('new', 'in_progress', 'resolved', 'closed', 'cancelled')
# stage -> stages it may move to
TRANSITIONS = {
    'new': ('in_progress', 'resolved', 'cancelled'),
    'in_progress': ('resolved', 'cancelled'),
    'resolved': ('closed', 'in_progress'),
    'closed': (),
    'cancelled': ('new',),
}


def route(kind, override=None):
    """Responsible department of a complaint: the category's own department
    when it has one, else production for quality (product, packaging) and
    sales for any other complaint. Returns the override or 'production' / 'sales'."""
    if override:
        return override
    return 'production' if kind == QUALITY else 'sales'


def responsible(is_sales_department, salesperson, department_manager):
    """The salesperson answers for the sales department; otherwise, or when the
    customer has no salesperson, the department's manager does."""
    if is_sales_department and salesperson:
        return salesperson
    return department_manager


def deadline_days(tier, days_by_tier):
    """Days to answer by the customer's tier; untiered customers are treated as C."""
    return days_by_tier.get(tier or 'c', days_by_tier['c'])


def cause_valid(side, cause):
    """A cause must belong to the side that caused the objection."""
    if not cause:
        return True
    return cause in (CUSTOMER_CAUSES if side == 'customer' else SALESPERSON_CAUSES)


def stage_problems(current, target, root_cause='', corrective_action='', customer_informed=False):
    """Why a complaint cannot move from ``current`` to ``target`` (empty when it can).

    Codes: 'transition' (not an allowed move), 'root_cause' and 'corrective_action'
    (required to resolve), 'informed' (the customer must be told before closing).
    """
    problems = []
    if target != current and target not in TRANSITIONS.get(current, ()):
        problems.append('transition')
    if target in ('resolved', 'closed'):
        if not (root_cause or '').strip():
            problems.append('root_cause')
        if not (corrective_action or '').strip():
            problems.append('corrective_action')
    if target == 'closed' and not customer_informed:
        problems.append('informed')
    return problems


def resolution_basis(contract_explicit, clause_unfair):
    """Settle by the contract when it has an explicit clause that is not plainly
    unfair; otherwise by fair negotiation."""
    return 'contract' if contract_explicit and not clause_unfair else 'negotiation'


def hours_between(start, end):
    if not start or not end:
        return 0.0
    return round((end - start).total_seconds() / 3600.0, 2)
