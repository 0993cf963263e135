import datetime

from rules import complaints as c


def test_route_by_kind_and_override():
    assert c.route('quality') == 'production'
    assert c.route('non_quality') == 'sales'
    assert c.route(None) == 'sales'
    assert c.route('quality', override='lab') == 'lab'
    assert c.route('non_quality', override='logistics') == 'logistics'


def test_responsible_user():
    assert c.responsible(True, 'sally', 'mona') == 'sally'
    assert c.responsible(True, None, 'mona') == 'mona'
    assert c.responsible(False, 'sally', 'pete') == 'pete'


def test_deadline_days_by_tier():
    days = {'a': 1, 'b': 2, 'c': 3}
    assert [c.deadline_days(t, days) for t in ('a', 'b', 'c', None, False)] == [1, 2, 3, 3, 3]


def test_objection_causes_belong_to_their_side():
    assert all(c.cause_valid('customer', cause) for cause in ('rational', 'emotional', 'tactical'))
    assert all(c.cause_valid('salesperson', cause) for cause in c.SALESPERSON_CAUSES)
    assert not c.cause_valid('customer', 'jargon')
    assert not c.cause_valid('salesperson', 'emotional')
    assert c.cause_valid('customer', False)


def test_stage_guards():
    assert c.stage_problems('new', 'in_progress') == []
    assert c.stage_problems('in_progress', 'resolved') == ['root_cause', 'corrective_action']
    assert c.stage_problems('in_progress', 'resolved', 'burr on edge', 'deburr step added') == []
    assert c.stage_problems('resolved', 'closed', 'x', 'y') == ['informed']
    assert c.stage_problems('resolved', 'closed', 'x', 'y', customer_informed=True) == []
    assert c.stage_problems('closed', 'new') == ['transition']
    assert c.stage_problems('new', 'closed', 'x', 'y', True) == ['transition']


def test_dispute_basis_four_combinations():
    assert c.resolution_basis(True, False) == 'contract'
    assert c.resolution_basis(True, True) == 'negotiation'
    assert c.resolution_basis(False, False) == 'negotiation'
    assert c.resolution_basis(False, True) == 'negotiation'


def test_hours_between():
    start = datetime.datetime(2026, 11, 24, 8, 0)
    assert c.hours_between(start, start + datetime.timedelta(hours=5, minutes=30)) == 5.5
    assert c.hours_between(start, None) == 0.0
