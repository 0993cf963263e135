"""Range checks and ownership rules of the values users type (issue 11).

Every value the code later does date or amount arithmetic on is checked here
before it is stored, so that no stored value can make a later computation
overflow (a visit dated 31 December 9999 plus a ten-day interval, say).
"""
import datetime

# dates a user records: from 1900 to the end of 2199, so that any date plus
# any interval of the policy (at most MAX_INTERVAL_DAYS) stays a valid date
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2199, 12, 31)
# a visit is recorded up to two years ahead
MAX_VISIT_YEARS_AHEAD = 2
MAX_INTERVAL_DAYS = 3660  # ten years
MAX_COMPLAINT_DAYS = 365
MIN_YEAR_FOUNDED = 1800
# mails to the complaints alias
MAX_MAIL_BODY_CHARS = 500_000
MAX_MAIL_ATTACHMENT_BYTES = 25 * 1024 * 1024


def date_in_range(day, min_date=MIN_DATE, max_date=MAX_DATE):
    """A date is in range when unset or between ``min_date`` and ``max_date``."""
    if not day:
        return True
    if isinstance(day, datetime.datetime):
        day = day.date()
    return min_date <= day <= max_date


def visit_date_in_range(day, today):
    """A visit is dated from 1900 up to two years after ``today``."""
    try:
        latest = today.replace(year=today.year + MAX_VISIT_YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + MAX_VISIT_YEARS_AHEAD, day=28)
    return date_in_range(day, MIN_DATE, min(latest, MAX_DATE))


def not_in_future(day, today):
    """A date of something that already happened (received, founded, born)."""
    if not day:
        return True
    if isinstance(day, datetime.datetime):
        day = day.date()
    return date_in_range(day, MIN_DATE, today)


def year_founded_valid(year, today):
    """A year founded is unset (0) or a year from 1800 up to this year."""
    return not year or MIN_YEAR_FOUNDED <= year <= today.year


def interval_days_valid(days):
    """An interval of the service policy: 0 (none) up to ten years."""
    return 0 <= (days or 0) <= MAX_INTERVAL_DAYS


def complaint_days_valid(days):
    """Days to answer a complaint: 0 (the same day) up to a year."""
    return 0 <= (days or 0) <= MAX_COMPLAINT_DAYS


def amount_valid(amount):
    """An amount a user types (collected, disputed, settled, capital, area): not negative."""
    return (amount or 0.0) >= 0


def count_valid(count):
    """A number of people or things: not negative."""
    return (count or 0) >= 0


def mail_too_large(body, attachment_sizes):
    """A mail to the complaints alias is refused when its body or its
    attachments are over the limits."""
    return len(body or '') > MAX_MAIL_BODY_CHARS or sum(attachment_sizes) > MAX_MAIL_ATTACHMENT_BYTES


def can_reassign_owner(current_user_id, salesperson_id, archive_owner_id, old_value_id, new_value_id):
    """May a User (not a Manager) change the salesperson or the archive owner
    of a customer from ``old_value_id`` to ``new_value_id``?

    - nothing changes: yes;
    - a customer nobody owns (no salesperson, no archive owner): yes, it can
      be claimed;
    - otherwise only its salesperson or archive owner may change it, and only
      a value that is empty or their own: the salesperson hands the customer
      over, the archive owner hands the file over, nobody takes over the
      other one's part.
    """
    if old_value_id == new_value_id:
        return True
    if not salesperson_id and not archive_owner_id:
        return True
    if current_user_id not in (salesperson_id, archive_owner_id):
        return False
    return old_value_id in (None, False, 0, current_user_id)


def archive_owner_follows(archive_owner_id, old_salesperson_id):
    """On a handover of the salesperson, the archive owner moves along when it
    was empty or the old salesperson; one set to someone else on purpose stays."""
    return not archive_owner_id or archive_owner_id == old_salesperson_id


def owners_of_shared_address(commercial_ids):
    """The customer a mail comes from: the one commercial partner of the
    partners with the sender's address, None when none or several match."""
    distinct = set(commercial_ids)
    return distinct.pop() if len(distinct) == 1 else None


def visit_report_recorded(texts, amount_collected):
    """A done visit records something: a line of its report or an amount collected."""
    return any((text or '').strip() for text in texts) or (amount_collected or 0.0) > 0
