"""Rules of the customer archive that need no database."""
import datetime


def statement_day_valid(day):
    """A statement (closing) day is a day of the month, 1 to 31; 0 means unset."""
    return day is None or day is False or day == 0 or 1 <= day <= 31


def years_in_business(year_founded, today):
    """Whole years since the year founded; ``0`` when unknown or in the future."""
    if not year_founded or year_founded > today.year:
        return 0
    return today.year - year_founded


def shares_exceeding(shares_by_customer, limit=100.0):
    """Customers whose competitor shares add up to more than ``limit``.

    :param shares_by_customer: ``{customer: total share percent}``
    """
    return sorted(c for c, total in shares_by_customer.items() if total > limit + 1e-6)


def days_to_birthday(birthday, today):
    """Days from ``today`` to the next anniversary of ``birthday`` (0 = today).

    A birthday on 29 February is celebrated on 28 February in other years.
    """
    if not birthday:
        return None
    for year in (today.year, today.year + 1):
        try:
            anniversary = birthday.replace(year=year)
        except ValueError:
            anniversary = datetime.date(year, 2, 28)
        if anniversary >= today:
            return (anniversary - today).days
    raise AssertionError("unreachable")
