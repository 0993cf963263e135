import datetime

from rules import lifecycle
from rules.lifecycle import LifecycleFacts, LifecycleStored

TODAY = datetime.date(2026, 11, 24)
D = datetime.date


def stage_of(first=None, last=None, quoted=False, locked=False, today=TODAY, **policy):
    facts = LifecycleFacts(first, last or first, quoted)
    return lifecycle.stage(facts, today, locked=locked, **policy)


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert lifecycle.months_before(D(2026, 11, 24), 12) == D(2025, 11, 24)
    assert lifecycle.months_before(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert lifecycle.months_before(D(2024, 3, 31), 1) == D(2024, 2, 29)
    assert lifecycle.months_before(D(2026, 1, 15), 6) == D(2025, 7, 15)


def test_never_invoiced_with_and_without_quotations():
    assert stage_of(quoted=True) == 'prospect'
    assert stage_of() is None


def test_new_until_exactly_n_months():
    # first invoice one day less than 12 months ago: new; exactly 12 months ago: regular
    assert stage_of(first=D(2025, 11, 25), last=D(2026, 11, 1)) == 'new'
    assert stage_of(first=D(2025, 11, 24), last=D(2026, 11, 1)) == 'regular'
    assert stage_of(first=D(2026, 11, 24)) == 'new'
    assert stage_of(first=D(2025, 11, 24), last=D(2026, 11, 1), new_months=24) == 'new'


def test_dormant_from_exactly_d_months_without_invoice():
    assert stage_of(first=D(2024, 1, 1), last=D(2026, 5, 25)) == 'regular'
    assert stage_of(first=D(2024, 1, 1), last=D(2026, 5, 24)) == 'dormant'
    # a new customer that stopped buying is dormant too
    assert stage_of(first=D(2026, 1, 1), last=D(2026, 5, 24)) == 'dormant'


def test_lost_from_exactly_l_months_without_invoice():
    assert stage_of(first=D(2024, 1, 1), last=D(2025, 11, 25)) == 'dormant'
    assert stage_of(first=D(2024, 1, 1), last=D(2025, 11, 24)) == 'lost'
    assert stage_of(first=D(2024, 1, 1), last=D(2025, 11, 24), lost_months=18) == 'dormant'


def test_lost_by_lock_whatever_the_invoices():
    assert stage_of(first=D(2024, 1, 1), last=D(2026, 11, 20), locked=True) == 'lost'
    assert stage_of(quoted=True, locked=True) == 'lost'
    assert stage_of(locked=True) == 'lost'


def test_refunds_only_is_never_invoiced():
    # the SQL counts invoices only: a partner with refunds only comes with no invoice dates
    assert lifecycle.stage(LifecycleFacts(None, None, quoted=False), TODAY) is None
    assert lifecycle.stage(LifecycleFacts(None, None, quoted=True), TODAY) == 'prospect'


def test_policy_check():
    assert lifecycle.check_policy(12, 6, 12) == []
    assert [code for code, _msg in lifecycle.check_policy(12, 6, 6)] == ['order']
    assert [code for code, _msg in lifecycle.check_policy(0, 6, 12)] == ['range']
    assert [code for code, _msg in lifecycle.check_policy(12, 6, 121)] == ['range']


def test_updates_write_changed_values_only():
    facts = {
        1: LifecycleFacts(D(2026, 10, 1), D(2026, 10, 1), False, True, 'a'),   # new, trading
        2: LifecycleFacts(D(2020, 1, 1), D(2026, 11, 1), True, False, 'b'),     # regular, unchanged
        3: LifecycleFacts(None, None, True, False, None),                        # prospect
    }
    stored = {
        2: LifecycleStored('regular', False, D(2020, 1, 1), D(2026, 11, 1), 'b', False),
        4: LifecycleStored('dormant', False, D(2020, 1, 1), D(2026, 1, 1), 'c', False),  # invoices gone
        5: LifecycleStored('lost', False, None, None, None, True),                       # locked, no facts
    }
    result = {u.partner_id: u for u in lifecycle.updates(facts, stored, TODAY)}
    assert sorted(result) == [1, 3, 4]
    assert (result[1].old_stage, result[1].new_stage, result[1].trading) == (None, 'new', True)
    assert result[3].new_stage == 'prospect'
    assert (result[4].old_stage, result[4].new_stage) == ('dormant', None)
    # applied, nothing is left to write
    stored.update({u.partner_id: LifecycleStored(u.new_stage, u.trading, u.first_invoice, u.last_invoice,
                                                 u.peak_tier, stored.get(u.partner_id, LifecycleStored()).locked)
                   for u in result.values()})
    assert lifecycle.updates(facts, stored, TODAY) == []


def test_trading_flag_alone_is_a_change():
    facts = {1: LifecycleFacts(D(2020, 1, 1), D(2026, 11, 1), True, True, 'a')}
    stored = {1: LifecycleStored('regular', False, D(2020, 1, 1), D(2026, 11, 1), 'a', False)}
    (update,) = lifecycle.updates(facts, stored, TODAY)
    assert (update.old_stage, update.new_stage, update.trading) == ('regular', 'regular', True)
