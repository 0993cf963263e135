import datetime

from rules import cadence, guards

TODAY = datetime.date(2026, 11, 24)


def test_dates_in_range():
    assert guards.date_in_range(None)
    assert guards.date_in_range(datetime.date(2026, 1, 1))
    assert not guards.date_in_range(datetime.date(9999, 12, 31))
    assert not guards.date_in_range(datetime.date(1899, 12, 31))
    assert guards.visit_date_in_range(datetime.date(2028, 11, 24), TODAY)
    assert not guards.visit_date_in_range(datetime.date(2028, 11, 25), TODAY)
    assert guards.visit_date_in_range(datetime.date(2030, 2, 28), datetime.date(2028, 2, 29))
    assert guards.not_in_future(datetime.datetime(2026, 11, 24, 23, 0), TODAY)
    assert not guards.not_in_future(datetime.date(2026, 11, 25), TODAY)


def test_numbers_in_range():
    assert guards.year_founded_valid(0, TODAY) and guards.year_founded_valid(1998, TODAY)
    assert not guards.year_founded_valid(12345, TODAY) and not guards.year_founded_valid(1200, TODAY)
    assert guards.interval_days_valid(0) and guards.interval_days_valid(3660)
    assert not guards.interval_days_valid(3661) and not guards.interval_days_valid(-1)
    assert guards.complaint_days_valid(0) and not guards.complaint_days_valid(366)
    assert guards.amount_valid(0.0) and not guards.amount_valid(-0.01)
    assert guards.count_valid(None) and not guards.count_valid(-1)


def test_largest_interval_on_the_latest_date_does_not_overflow():
    assert cadence.next_due(guards.MAX_DATE, guards.MAX_INTERVAL_DAYS, TODAY, 0)


def test_stored_extreme_date_has_no_due_date():
    assert cadence.next_due(datetime.date(9999, 12, 31), 10, TODAY, 0) is None
    assert cadence.next_due(None, 10, TODAY, 6, since=datetime.date(9999, 12, 31)) is None


def test_owner_change():
    me, other, third = 1, 2, 3
    # nobody owns it: it can be claimed
    assert guards.can_reassign_owner(me, None, None, None, me)
    # another salesperson's customer: neither part can be taken
    assert not guards.can_reassign_owner(me, other, other, other, me)
    # the archive owner does not take the salesperson's part
    assert not guards.can_reassign_owner(me, other, me, other, me)
    # the salesperson hands over
    assert guards.can_reassign_owner(me, me, third, me, other)
    # writing the same value is no change
    assert guards.can_reassign_owner(me, other, other, other, other)


def test_archive_owner_follows_the_salesperson():
    assert guards.archive_owner_follows(None, 5)
    assert guards.archive_owner_follows(5, 5)
    assert not guards.archive_owner_follows(7, 5)


def test_shared_address_and_large_mail():
    assert guards.owners_of_shared_address([4, 4]) == 4
    assert guards.owners_of_shared_address([4, 5]) is None
    assert guards.owners_of_shared_address([]) is None
    assert guards.mail_too_large('x' * (guards.MAX_MAIL_BODY_CHARS + 1), [])
    assert guards.mail_too_large('', [guards.MAX_MAIL_ATTACHMENT_BYTES, 1])
    assert not guards.mail_too_large('<p>Rust</p>', [1000])


def test_visit_report():
    assert not guards.visit_report_recorded(['', '  ', None], 0.0)
    assert guards.visit_report_recorded(['', 'Low stock'], 0.0)
    assert guards.visit_report_recorded([], 10.0)
