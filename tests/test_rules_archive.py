import datetime

from rules import archive


def test_statement_day():
    assert archive.statement_day_valid(1) and archive.statement_day_valid(31)
    assert archive.statement_day_valid(0)  # unset
    assert not archive.statement_day_valid(32)
    assert not archive.statement_day_valid(-1)


def test_years_in_business():
    today = datetime.date(2026, 11, 24)
    assert archive.years_in_business(2000, today) == 26
    assert archive.years_in_business(0, today) == 0
    assert archive.years_in_business(2030, today) == 0


def test_shares_exceeding():
    assert archive.shares_exceeding({1: 100.0, 2: 100.5, 3: 40.0}) == [2]


def test_days_to_birthday():
    today = datetime.date(2026, 11, 24)
    assert archive.days_to_birthday(datetime.date(1980, 11, 24), today) == 0
    assert archive.days_to_birthday(datetime.date(1980, 11, 30), today) == 6
    assert archive.days_to_birthday(datetime.date(1980, 1, 2), today) == 39
    # 29 February in a year without it: 28 February
    assert archive.days_to_birthday(datetime.date(1984, 2, 29), datetime.date(2027, 2, 1)) == 27
    assert archive.days_to_birthday(None, today) is None
