import datetime

import pytest
from rules import evaluation as ev

D = datetime.date


def test_periods():
    assert ev.period_of(D(2026, 8, 15), 'quarter') == (D(2026, 7, 1), D(2026, 10, 1), '2026-Q3')
    assert ev.period_of(D(2026, 12, 31), 'quarter') == (D(2026, 10, 1), D(2027, 1, 1), '2026-Q4')
    assert ev.period_of(D(2026, 6, 30), 'half') == (D(2026, 1, 1), D(2026, 7, 1), '2026-H1')
    assert ev.period_of(D(2026, 7, 1), 'year') == (D(2026, 1, 1), D(2027, 1, 1), '2026')
    # a run evaluates the last complete period, whatever day of the current one
    assert ev.evaluated_period(D(2026, 10, 1), 'quarter') == (D(2026, 7, 1), D(2026, 10, 1), '2026-Q3')
    assert ev.evaluated_period(D(2026, 11, 20), 'quarter')[2] == '2026-Q3'
    assert ev.evaluated_period(D(2026, 1, 5), 'quarter')[2] == '2025-Q4'
    assert ev.evaluated_period(D(2026, 3, 5), 'half')[2] == '2025-H2'
    assert ev.previous_period(D(2026, 1, 1), 'year') == (D(2025, 1, 1), D(2026, 1, 1), '2025')
    with pytest.raises(ValueError):
        ev.period_of(D(2026, 1, 1), 'month')


def test_relative_score():
    assert ev.relative_score(100, 100) == 50
    assert ev.relative_score(200, 100) == 100
    assert ev.relative_score(500, 100) == 100
    assert ev.relative_score(25, 100) == 12.5
    assert ev.relative_score(0, 100) == 0
    assert ev.relative_score(-10, 100) == 0
    # a reference of zero: above it is best, at it is average
    assert ev.relative_score(10, 0) == 100
    assert ev.relative_score(0, 0) == 50
    assert ev.relative_score(-1, 0) == 0


def test_sales_score_horizontal_and_vertical():
    # 1,500 against a tier average of 1,000 (75) and 3,000 before (25): 50
    assert ev.sales_score(1500, 1000, 3000) == pytest.approx(50)
    # no previous period: the horizontal comparison alone
    assert ev.sales_score(1500, 1000, 0) == pytest.approx(75)
    assert ev.sales_score(1500, 1000, None) == pytest.approx(75)
    # zero sales
    assert ev.sales_score(0, 1000, 2000) == 0
    # a tier average of zero
    assert ev.sales_score(0, 0, 0) == 50
    assert ev.sales_score(10, 0, 0) == 100


def test_profit():
    serve = ev.cost_to_serve(visits=3, complaints=2, visit_cost=100, complaint_cost=250)
    assert serve == 800
    net = ev.net_profit(10000, 6000, serve)
    assert net == 3200
    assert ev.profit_rate(10000, net) == pytest.approx(0.32)
    # 32 % against a tier rate of 16 %: twice the tier, 100; against 32 %: 50
    assert ev.profit_score(10000, net, 0.16) == 100
    assert ev.profit_score(10000, net, 0.32) == pytest.approx(50)
    # a negative margin scores 0
    assert ev.profit_score(10000, ev.net_profit(10000, 11000, 0), 0.2) == 0
    # zero sales: 0 when it cost something to serve, not measurable otherwise
    assert ev.profit_rate(0, -300) is None
    assert ev.profit_score(0, -300, 0.2) == 0
    assert ev.profit_score(0, 0, 0.2) is None
    # a tier rate of zero
    assert ev.profit_score(1000, 100, 0.0) == 100
    assert ev.profit_score(1000, 100, None) == 100


def test_growth():
    assert ev.growth_rate(1200, 1000) == pytest.approx(0.2)
    assert ev.growth_rate(1200, 0) is None
    # +20 % while the company grew 10 %: 60
    assert ev.growth_score(1200, 1000, 110000, 100000) == pytest.approx(60)
    # −50 % while the company grew 10 %: 0 (clamped)
    assert ev.growth_score(500, 1000, 110000, 100000) == 0
    # no previous period: not measurable
    assert ev.growth_score(1200, 0, 110000, 100000) is None
    # the company had no sales before: its growth counts as 0
    assert ev.growth_score(1100, 1000, 5000, 0) == pytest.approx(60)


def test_cooperation():
    # 5 days late on average (−10), overdue 2,000 on 10,000 of sales (−10), one dispute (−20)
    assert ev.cooperation_measured_score(10000, 5, 2000, 1) == pytest.approx(60)
    assert ev.cooperation_measured_score(10000, 0, 0, 0) == 100
    assert ev.cooperation_measured_score(0, 0, 500, 0) == 50
    assert ev.cooperation_measured_score(1000, 80, 5000, 3) == 0
    assert ev.cooperation_score(60, None) == 60
    assert ev.cooperation_score(60, 80) == 70


def test_likert_and_satisfaction():
    assert ev.likert_score(['1', '1']) == 0
    assert ev.likert_score(['3']) == 50
    assert ev.likert_score([5, 4]) == pytest.approx(87.5)
    assert ev.likert_score(['5', False]) is None
    assert ev.likert_score([]) is None
    # average 4.2 answered: 80, two complaints: 60
    assert ev.satisfaction_base(2, 4.2, 2) == pytest.approx(60)
    # no form answered: 75 less the complaints
    assert ev.satisfaction_base(0, 0.0, 1) == 65
    assert ev.satisfaction_base(0, 0.0, 20) == 0
    assert ev.satisfaction_score(60, 10) == 70
    assert ev.satisfaction_score(95, 20) == 100
    assert ev.satisfaction_score(60, 50) == 80  # the adjustment is capped at 20


def test_tier_averages_and_measure():
    averages = ev.tier_averages([('a', 3000, 600), ('a', 1000, 200), ('b', 0, -100), ('b', 0, 0)])
    assert averages['a'] == ev.TierAverage(2000, 0.2)
    assert averages['b'] == ev.TierAverage(0, 0.0)
    figures = ev.Figures(sales=3000, prev_sales=2000, cost=2000, visits=2, complaints=1, disputes=0,
                         payment_delay=0, overdue=0, survey_count=1, survey_avg=5)
    measured = ev.measure(figures, averages['a'], company_sales=4000, company_prev_sales=4000,
                          visit_cost=100, complaint_cost=300)
    assert measured.cost_to_serve == 500
    assert measured.net_profit == 500
    assert measured.sales == pytest.approx((75 + 75) / 2)
    assert measured.profit == pytest.approx(50 * (500 / 3000) / 0.2)
    assert measured.growth == 100  # +50 % against a flat company
    assert measured.cooperation == 100
    assert measured.satisfaction_base == 90
    # a customer of a tier nobody computed (no average at all)
    assert ev.measure(ev.Figures(), None, 0, 0, 0, 0).sales == 50


def test_weights_total_and_grade():
    weights = ev.default_weights()
    assert ev.weights_problem(weights) is None
    assert ev.weights_problem(dict(weights, sales=20)) == pytest.approx(105.71)
    assert ev.weights_problem(dict.fromkeys(ev.DIMENSIONS, 0) | {'sales': 110, 'profit': -10}) == 100
    scores = dict.fromkeys(ev.DIMENSIONS, 70.0)
    assert ev.weighted_total(scores, weights) == pytest.approx(70)
    # growth not measurable: left out, the other weights scaled back
    weights = {'sales': 40, 'profit': 20, 'capability': 10, 'cooperation': 10, 'adaptability': 10,
               'growth': 10, 'satisfaction': 0}
    scores = dict(scores, sales=100.0, growth=None)
    assert ev.weighted_total(scores, weights) == pytest.approx((40 * 100 + 50 * 70) / 90)
    assert ev.weighted_total(dict.fromkeys(ev.DIMENSIONS), weights) is None
    assert ev.grade(85, 85, 70, 50) == 'excellent'
    assert ev.grade(84.9, 85, 70, 50) == 'good'
    assert ev.grade(50, 85, 70, 50) == 'fair'
    assert ev.grade(0, 85, 70, 50) == 'poor'
    assert ev.grade(None, 85, 70, 50) is None
    assert ev.thresholds_valid(85, 70, 50)
    assert not ev.thresholds_valid(70, 70, 50)
    assert not ev.thresholds_valid(120, 70, 50)
    assert ev.grade_fell('fair', 'good')
    assert not ev.grade_fell('good', 'fair')
    assert not ev.grade_fell('good', None)


def test_scores_and_summary():
    scores = ev.scores(75.0, None, 90.0, 80.0, 77.5)
    assert scores == {'sales': 75.0, 'profit': None, 'capability': None, 'cooperation': 80.0,
                      'adaptability': None, 'growth': 90.0, 'satisfaction': 77.5}
    judged = ev.scores(75.0, 28.6, 90.0, 80.0, 77.5, capability=75.0, cooperation_judged=75.0, adaptability=75.0,
                       adjustment=10)
    assert (judged['cooperation'], judged['satisfaction']) == (77.5, 87.5)
    weights = ev.default_weights()
    total, grade, change, fell = ev.summary(judged, weights, (85, 70, 50), previous_total=80.0, previous_grade='good')
    assert total == pytest.approx((75 + 28.6 + 75 + 77.5 + 75 + 90 + 87.5) / 7)
    assert (grade, fell) == ('good', False)
    assert change == pytest.approx(total - 80.0)
    total, grade, change, fell = ev.summary(scores, weights, (85, 70, 50), previous_total=90.0,
                                            previous_grade='excellent')
    assert (round(total, 3), grade, fell) == (80.625, 'good', True)
    # no previous evaluation: no change, no fall
    assert ev.summary(scores, weights, (85, 70, 50))[2:] == (0.0, False)
