"""Customer evaluation (客户评估, seed 001 §四): the period, the seven
dimensions' scores, the weighted total and the grade.

Every score is 0–100, or ``None`` when the dimension cannot be measured
(growth without a previous period, a judged dimension not filled in yet);
the weighted total is taken over the scored dimensions only, their weights
scaled back to 100.

A ratio against a reference scores 50 at the reference and 100 at twice it
or more (``relative_score``); a 1–5 answer scores 0 at 1, 50 at 3 and 100 at 5
(``likert_score``).
"""
import datetime
from collections import namedtuple

# the seven dimensions, in the seed's order
DIMENSIONS = ('sales', 'profit', 'capability', 'cooperation', 'adaptability', 'growth', 'satisfaction')
PERIODS = ('quarter', 'half', 'year')
GRADES = ('excellent', 'good', 'fair', 'poor')  # best first
TIERS = ('a', 'b', 'c')
# the judged criteria of each judged dimension (seed 001 §四(三)(四)(五)(七))
CAPABILITY_CRITERIA = 6
COOPERATION_CRITERIA = 4
ADAPTABILITY_CRITERIA = 5
# cooperation, measured part: points lost per day of average payment delay, for an
# overdue amount equal to the period's sales, and per dispute in the period
DELAY_POINTS_PER_DAY = 2.0
OVERDUE_POINTS = 50.0
DISPUTE_POINTS = 20.0
# satisfaction: the base when no opinion form was answered in the period, the points
# lost per complaint, and the bounds of the salesperson's adjustment
SATISFACTION_WITHOUT_SURVEY = 75.0
COMPLAINT_POINTS = 10.0
MAX_ADJUSTMENT = 20
WEIGHT_TOLERANCE = 0.01

# the measured figures of one customer in one period (amounts in company currency)
Figures = namedtuple('Figures', 'sales prev_sales cost visits complaints disputes payment_delay overdue '
                                'survey_count survey_avg',
                     defaults=(0.0, 0.0, 0.0, 0, 0, 0, 0.0, 0.0, 0, 0.0))
# what the tier's customers did on average in the period: sales per customer and the
# tier's net profit as a share of its sales
TierAverage = namedtuple('TierAverage', 'sales profit_rate')
# the measured scores of one customer
Measured = namedtuple('Measured', 'sales profit growth cooperation satisfaction_base net_profit profit_rate '
                                  'growth_rate company_growth_rate cost_to_serve')


def clamp(value, low=0.0, high=100.0):
    return max(low, min(high, value))


# ------------------------------------------------------------
# PERIODS
# ------------------------------------------------------------

def _months(period):
    return {'quarter': 3, 'half': 6, 'year': 12}[period]


def period_of(day, period):
    """``(start, end, key)`` of the period of kind ``period`` containing
    ``day``; ``end`` is exclusive, ``key`` names the period.

    >>> period_of(datetime.date(2026, 8, 15), 'quarter')
    (datetime.date(2026, 7, 1), datetime.date(2026, 10, 1), '2026-Q3')
    """
    if period not in PERIODS:
        raise ValueError("unknown period %r" % period)
    months = _months(period)
    index = (day.month - 1) // months
    start = datetime.date(day.year, index * months + 1, 1)
    end_month = index * months + months
    end = datetime.date(day.year + end_month // 12, end_month % 12 + 1, 1)
    key = {'quarter': f'{day.year}-Q{index + 1}', 'half': f'{day.year}-H{index + 1}', 'year': str(day.year)}[period]
    return start, end, key


def evaluated_period(today, period):
    """The period a run on ``today`` evaluates: the last complete one."""
    start, _end, _key = period_of(today, period)
    return period_of(start - datetime.timedelta(days=1), period)


def previous_period(start, period):
    """The period just before the one starting on ``start``."""
    return period_of(start - datetime.timedelta(days=1), period)


# ------------------------------------------------------------
# SCORES
# ------------------------------------------------------------

def relative_score(value, reference):
    """50 at the reference, 100 at twice it or more, 0 at zero or below.
    A reference of zero or below (nobody earned anything): 100 for a value
    above zero, 50 for a value equal to the reference, else 0."""
    if reference > 0:
        return clamp(50.0 * value / reference)
    if value > 0:
        return 100.0
    return 50.0 if value >= reference else 0.0


def likert_score(values):
    """0 at 1, 50 at 3, 100 at 5 for the average of 1–5 answers; None when
    any is missing."""
    values = list(values)
    if not values or any(not value for value in values):
        return None
    average = sum(float(value) for value in values) / len(values)
    return clamp((average - 1.0) * 25.0)


def sales_score(sales, tier_average, prev_sales):
    """Sales contribution: against the tier's average (horizontal) and
    against the customer's own previous period (vertical), averaged; the
    horizontal comparison alone without a previous period."""
    horizontal = relative_score(sales, tier_average)
    if not prev_sales or prev_sales <= 0:
        return horizontal
    return (horizontal + relative_score(sales, prev_sales)) / 2.0


def cost_to_serve(visits, complaints, visit_cost, complaint_cost):
    return visits * visit_cost + complaints * complaint_cost


def net_profit(sales, cost, serve_cost):
    """Gross margin of the invoiced lines (sales − standard cost) less the
    cost to serve."""
    return sales - cost - serve_cost


def profit_rate(sales, net):
    """Net profit as a share of sales (0.25 = 25 %); None without sales."""
    if sales <= 0:
        return None
    return net / sales


def profit_score(sales, net, tier_rate):
    """Profit contribution: the customer's net profit rate against its
    tier's. Without sales: 0 when it cost something to serve, else None. A
    negative net profit scores 0."""
    rate = profit_rate(sales, net)
    if rate is None:
        return 0.0 if net < 0 else None
    if rate <= 0:
        return 0.0
    return relative_score(rate, tier_rate or 0.0)


def growth_rate(sales, prev_sales):
    """Growth over the previous period (0.1 = +10 %); None without previous sales."""
    if not prev_sales or prev_sales <= 0:
        return None
    return (sales - prev_sales) / prev_sales


def growth_score(sales, prev_sales, company_sales, company_prev_sales):
    """Growth contribution: 50 when the customer grew as the company did, one
    point more (less) per point of growth above (below) it. None without a
    previous period; the company's growth counts as 0 when it had no sales
    before."""
    rate = growth_rate(sales, prev_sales)
    if rate is None:
        return None
    company_rate = growth_rate(company_sales, company_prev_sales) or 0.0
    return clamp(50.0 + (rate - company_rate) * 100.0)


def cooperation_measured_score(sales, payment_delay, overdue, disputes):
    """Cooperation, measured part: 100 less the average payment delay (2 per
    day), the overdue amount at the period's end (50 for an amount equal to
    the period's sales or more) and the disputes or contract breaches of the
    period (20 each)."""
    overdue_share = min(1.0, overdue / sales) if sales > 0 else (1.0 if overdue > 0 else 0.0)
    return clamp(100.0 - DELAY_POINTS_PER_DAY * max(payment_delay, 0.0) - OVERDUE_POINTS * overdue_share
                 - DISPUTE_POINTS * disputes)


def cooperation_score(measured, judged):
    """Half measured, half judged; the measured part alone until the judged
    one is filled in."""
    if judged is None:
        return measured
    return (measured + judged) / 2.0


def satisfaction_base(survey_count, survey_avg, complaints):
    """End-customer satisfaction, measured part: the period's opinion forms
    (1–5 average, scored as ``likert_score``; 75 when none was answered) less
    10 per complaint of the period."""
    base = likert_score([survey_avg]) if survey_count else SATISFACTION_WITHOUT_SURVEY
    return clamp((base if base is not None else SATISFACTION_WITHOUT_SURVEY) - COMPLAINT_POINTS * complaints)


def satisfaction_score(base, adjustment):
    """The measured part plus the salesperson's adjustment (−20 to +20)."""
    return clamp(base + max(-MAX_ADJUSTMENT, min(MAX_ADJUSTMENT, adjustment or 0)))


def tier_averages(rows):
    """``{tier: TierAverage}`` from ``(tier, sales, net_profit)`` rows, one
    per customer of the tier (customers without sales count, with 0)."""
    totals = {}
    for tier, sales, net in rows:
        count, sales_sum, net_sum = totals.get(tier, (0, 0.0, 0.0))
        totals[tier] = (count + 1, sales_sum + sales, net_sum + net)
    return {
        tier: TierAverage(sales_sum / count if count else 0.0, net_sum / sales_sum if sales_sum > 0 else 0.0)
        for tier, (count, sales_sum, net_sum) in totals.items()
    }


def measure(figures, tier_average, company_sales, company_prev_sales, visit_cost, complaint_cost):
    """The measured scores of one customer from its ``Figures``."""
    serve = cost_to_serve(figures.visits, figures.complaints, visit_cost, complaint_cost)
    net = net_profit(figures.sales, figures.cost, serve)
    tier_average = tier_average or TierAverage(0.0, 0.0)
    return Measured(
        sales=sales_score(figures.sales, tier_average.sales, figures.prev_sales),
        profit=profit_score(figures.sales, net, tier_average.profit_rate),
        growth=growth_score(figures.sales, figures.prev_sales, company_sales, company_prev_sales),
        cooperation=cooperation_measured_score(figures.sales, figures.payment_delay, figures.overdue,
                                               figures.disputes),
        satisfaction_base=satisfaction_base(figures.survey_count, figures.survey_avg, figures.complaints),
        net_profit=net,
        profit_rate=profit_rate(figures.sales, net),
        growth_rate=growth_rate(figures.sales, figures.prev_sales),
        company_growth_rate=growth_rate(company_sales, company_prev_sales),
        cost_to_serve=serve,
    )


# ------------------------------------------------------------
# TOTAL AND GRADE
# ------------------------------------------------------------

def default_weights():
    return {dimension: 100.0 / len(DIMENSIONS) for dimension in DIMENSIONS}


def weights_problem(weights):
    """None when the weights are valid (each 0–100, adding up to 100), else
    the total they add up to."""
    values = [weights.get(dimension) or 0.0 for dimension in DIMENSIONS]
    total = sum(values)
    if any(value < 0 for value in values) or abs(total - 100.0) > WEIGHT_TOLERANCE:
        return round(total, 2)
    return None


def weighted_total(scores, weights):
    """The weighted mean of the scored dimensions (None scores left out,
    the other weights scaled back to 100); None when nothing is scored."""
    pairs = [(scores[d], weights.get(d) or 0.0) for d in DIMENSIONS if scores.get(d) is not None]
    weight_sum = sum(weight for _score, weight in pairs)
    if not pairs or weight_sum <= 0:
        return None
    return sum(score * weight for score, weight in pairs) / weight_sum


def scores(sales, profit, growth, cooperation_measured, satisfaction_base, capability=None,
           cooperation_judged=None, adaptability=None, adjustment=0):
    """``{dimension: score or None}`` from the measured scores and the judged
    ones (None until filled in)."""
    return {
        'sales': sales,
        'profit': profit,
        'capability': capability,
        'cooperation': cooperation_score(cooperation_measured, cooperation_judged),
        'adaptability': adaptability,
        'growth': growth,
        'satisfaction': satisfaction_score(satisfaction_base, adjustment),
    }


def summary(dimension_scores, weights, thresholds, previous_total=None, previous_grade=None):
    """``(total, grade, change, grade_fell)`` of an evaluation; the change
    and the fall against the previous evaluation (0 and False without one)."""
    total = weighted_total(dimension_scores, weights)
    new_grade = grade(total, *thresholds)
    change = (total or 0.0) - previous_total if previous_total is not None else 0.0
    return total, new_grade, change, grade_fell(new_grade, previous_grade)


def thresholds_valid(excellent, good, fair):
    return 100.0 >= excellent > good > fair >= 0.0


def grade(total, excellent, good, fair):
    """excellent / good / fair / poor by the thresholds (lower bounds)."""
    if total is None:
        return None
    if total >= excellent:
        return 'excellent'
    if total >= good:
        return 'good'
    if total >= fair:
        return 'fair'
    return 'poor'


def grade_fell(new_grade, old_grade):
    """Whether the grade is worse than the previous evaluation's."""
    if not new_grade or not old_grade:
        return False
    return GRADES.index(new_grade) > GRADES.index(old_grade)
