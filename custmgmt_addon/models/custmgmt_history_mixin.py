from odoo import api, fields, models
from odoo.tools import SQL


class CustmgmtHistoryMixin(models.AbstractModel):
    """One change of a value the engines keep per customer and company (the
    tier, the lifecycle stage): the customer, the company, the date, why
    (the engine's run or by hand) and a note; who is each history's
    ``user_id`` (its creator: an abstract model has none). Each history adds its
    previous and new value and the figure it was decided on, and names them
    in ``_history_values``; ``_insert_history`` is the one INSERT of them."""
    _name = 'custmgmt.history.mixin'
    _description = "Customer Management: history of a customer's value"
    _order = 'date desc, id desc'
    _check_company_auto = True

    # (column, PostgreSQL type, attribute of a change) of the values each history adds
    _history_values = ()

    partner_id = fields.Many2one('res.partner', string="Customer", required=True, index=True,
                                 ondelete='cascade')
    company_id = fields.Many2one('res.company', required=True, index=True, ondelete='cascade')
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Char()

    @api.model
    def _insert_history(self, company, changes, today, reason):
        """Insert a row per change of ``changes`` (objects with ``partner_id``,
        the attributes of ``_history_values`` and, optionally, ``note``) in
        ``company``, in one statement."""
        if not changes:
            return
        self.flush_model()

        def column(attribute):
            return [None if value is False or value == '' else value
                    for value in (getattr(change, attribute, None) for change in changes)]

        names = [SQL.identifier(name) for name, _type, _attribute in self._history_values]
        arrays = [SQL(f"%s::{sql_type}[]", column(attribute)) for _name, sql_type, attribute in self._history_values]
        self.env.execute_query(SQL(
            """
            INSERT INTO %(table)s (partner_id, note, %(names)s, company_id, date, reason,
                                   create_uid, create_date, write_uid, write_date)
            SELECT v.*, %(company)s, %(today)s, %(reason)s,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::int[], %(notes)s::varchar[], %(arrays)s) AS v
            """,
            table=SQL.identifier(self._table), names=SQL(', ').join(names), arrays=SQL(', ').join(arrays),
            ids=[change.partner_id for change in changes], notes=column('note'),
            company=company.id, today=today, reason=reason, uid=self.env.uid,
        ))
        self.invalidate_model()
