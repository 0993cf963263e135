from babel.dates import format_skeleton

from odoo import api, fields, models
from odoo.tools import babel_locale_parse


def month_label(env, month):
    """A month as users write it: "Nov 2026" in English, "2026年11月" in Chinese."""
    if not month:
        return ''
    return format_skeleton('yMMM', month, locale=babel_locale_parse(env.lang or 'en_US'))


class CustmgmtMonthLabelMixin(models.AbstractModel):
    """Months grouped in pivots, graphs and lists read as users write them:
    "Nov 2026" in English and "2026年11月" in Chinese (core's label is
    "November 2026" / "十一月 2026")."""
    _name = 'custmgmt.month.label.mixin'
    _description = "Customer Management: month labels"

    @api.model
    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        months = [group for group in lazy_groupby if group.endswith(':month')
                  and self._fields[group.split(':')[0]].type == 'date']
        for row in rows_dict:
            for group in months:
                period = (row.get('__range') or {}).get(group)
                if period:
                    row[group] = month_label(self.env, fields.Date.to_date(period['from']))
        return result
