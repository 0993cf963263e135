import time

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.tools import SQL, format_date, html_sanitize, split_every

from ..rules import credit as credit_rules
from .custmgmt_job_runner import CRON_COLLECTION

COLLECTION_BATCH = 1000


def overdue_item(today):
    """The condition on ``line`` (an account_move_line joined to its
    ``account``) of an overdue open receivable item on ``today``: posted, not
    reconciled, still owed, due before today. One definition for the matrix,
    the letters and the closing of paid customers."""
    return SQL("%s AND line.amount_residual > 0 AND COALESCE(line.date_maturity, line.date) < %s",
               SQL(credit_rules.OPEN_ITEM_CONDITION), today)


class CustmgmtCollection(models.AbstractModel):
    """The daily collection matrix (seed 003 第六式) of each company: the
    overdue customers, the open collection activities and the dunning levels
    fetched with grouped queries, the matrix decided by ``rules.credit``, the
    activities and dunning letters made in batches. The policy is on the
    company (``res.company``)."""
    _name = 'custmgmt.collection'
    _description = "Customer Management: collection matrix"

    @api.model
    def _overdue_customers(self, company, today):
        """``{commercial_partner_id: (overdue_amount, oldest_overdue_days)}`` of
        ``company``'s customers with overdue receivables: one grouped query."""
        self.env['account.move.line'].flush_model(
            ['amount_residual', 'date_maturity', 'date', 'partner_id', 'account_id', 'parent_state',
             'reconciled', 'company_id'])
        rows = self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id,
                   SUM(line.amount_residual),
                   MAX(%(today)s::date - COALESCE(line.date_maturity, line.date))
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE %(overdue)s AND line.company_id = %(company)s
          GROUP BY partner.commercial_partner_id
            """,
            today=today, overdue=overdue_item(today), company=company.id,
        ))
        return {partner_id: (float(amount), days) for partner_id, amount, days in rows}

    @api.model
    def _activity_types(self):
        return {
            'reminder': self.env.ref('custmgmt_addon.mail_activity_type_payment_reminder'),
            'collection_visit': self.env.ref('custmgmt_addon.mail_activity_type_collection_visit'),
            'special_measures': self.env.ref('custmgmt_addon.mail_activity_type_special_measures'),
        }

    @api.model
    def _plan(self, company, today, overdue, existing):
        """What the matrix asks for the overdue customers that is not done yet.

        :param overdue: ``{partner_id: (overdue_amount, oldest_overdue_days)}``
        :param existing: ``{(partner_id, user_id)}`` of the open collection activities
        :return: ``(activities, letters)``: the activities to create as
            ``(partner_id, user_id, action, amount, days)`` and the customers
            whose dunning level goes up, ``{new_level: [partner_id]}``
        """
        key = str(company.id)
        self.env['res.partner'].flush_model(['user_id', 'custmgmt_dunning_level', 'custmgmt_dunning_date'])
        info = {
            pid: (user_id, level or 0, fields.Date.to_date(last) if last else None)
            for pid, user_id, level, last in self.env.execute_query(SQL(
                """
                SELECT id, user_id, (custmgmt_dunning_level ->> %(key)s)::int, custmgmt_dunning_date ->> %(key)s
                  FROM res_partner WHERE id = ANY(%(ids)s)
                """, key=key, ids=list(overdue)))
        }
        collector = (company.custmgmt_collection_user_id or company.custmgmt_finance_manager_id).id
        users = {'collector': collector, 'finance_manager': company.custmgmt_finance_manager_id.id or collector}
        long_days, large_amount = company.custmgmt_long_overdue_days, company.custmgmt_large_overdue_amount
        interval = company.custmgmt_dunning_interval_days
        activities, letters = [], {}
        for partner_id in sorted(overdue):
            amount, days = overdue[partner_id]
            salesperson, level, last = info.get(partner_id, (None, 0, None))
            for who, action in credit_rules.matrix_actions(credit_rules.quadrant(days, amount, long_days, large_amount)):
                if action == 'dunning_letter':
                    new_level = credit_rules.next_dunning_level(level, last, today, interval)
                    if new_level != level:
                        letters.setdefault(new_level, []).append(partner_id)
                    continue
                user_id = (salesperson or collector) if who == 'salesperson' else users[who]
                if not user_id or (partner_id, user_id) in existing:
                    continue
                existing.add((partner_id, user_id))
                activities.append((partner_id, user_id, action, amount, days))
        return activities, letters

    @api.model
    def _create_activities(self, company, rows, types, today):
        """One batch of collection activities, created at once. Assignees see
        them in their activities, the summary and the note in their own
        language; one e-mail per activity would bury them."""
        model_id = self.env['ir.model']._get_id('res.partner')
        langs = {user.id: user.lang or self.env.lang
                 for user in self.env['res.users'].browse(list({row[1] for row in rows}))}
        # translated once per language of the batch (a translation looked up inside the
        # comprehension finds no language in its frame and logs a warning with its stack for
        # every activity); the note is sanitized here, once per language (see below)
        texts = {}
        for lang in set(langs.values()):
            env = self.with_context(lang=lang).env
            texts[lang] = (
                env._("Overdue receivables in %(company)s", company=company.name),
                html_sanitize(Markup('<p><a href="/odoo/action-custmgmt_addon.custmgmt_overdue_list_action">%s</a></p>')
                              % env._("Open the overdue items (Finance and the customer's salesperson)"),
                              sanitize_style=True))
        # the stored computes of mail.activity given for the batch: the customer's name
        # (res_name, computed otherwise with one query per activity) and no done date
        names = {partner.id: partner.display_name
                 for partner in self.env['res.partner'].browse(list({row[0] for row in rows}))}
        activities = self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True).create([{
            'res_model_id': model_id, 'res_id': partner_id, 'user_id': user_id,
            'activity_type_id': types[action].id, 'date_deadline': today,
            # no amounts here: activities on a customer are read by every internal
            # user; the figures are behind the link, in the restricted aging report
            'summary': texts[langs[user_id]][0], 'res_name': names[partner_id], 'date_done': False,
        } for partner_id, user_id, action, amount, days in rows])
        # the note written with one UPDATE per language: through create, the ORM sanitizes the
        # HTML of each activity again
        activities.flush_recordset()
        by_lang = {}
        for activity_id, row in zip(activities.ids, rows):
            by_lang.setdefault(langs[row[1]], []).append(activity_id)
        for lang, ids in by_lang.items():
            self.env.execute_query(SQL("UPDATE mail_activity SET note = %s WHERE id = ANY(%s)", texts[lang][1], ids))
        activities.invalidate_recordset(['note'])
        return activities

    @api.model
    def _invoice_contacts(self, partner_ids):
        """``{partner_id: contact_id}``: the invoicing contact of each customer
        (its first invoice address with an e-mail, else the customer itself)."""
        self.env['res.partner'].flush_model(['parent_id', 'type', 'email', 'active'])
        return dict(self.env.execute_query(SQL(
            """
            SELECT customer.id,
                   COALESCE((SELECT contact.id FROM res_partner contact
                              WHERE contact.parent_id = customer.id AND contact.type = 'invoice'
                                AND contact.active AND COALESCE(contact.email, '') != ''
                           ORDER BY contact.id LIMIT 1), customer.id)
              FROM res_partner customer WHERE customer.id = ANY(%(ids)s)
            """, ids=list(partner_ids))))

    @api.model
    def _dunning_items(self, company, partner_ids, today):
        """``{partner_id: [(reference, due date)]}``: ``company``'s overdue
        items of these customers, for their letters (one query for the batch),
        each due date formatted in the customer's language, as its letter is
        (once per date and language)."""
        self.env['account.move.line'].flush_model()
        langs = {customer.id: customer.lang for customer in self.env['res.partner'].browse(partner_ids)}
        items, dates = {}, {}
        for partner_id, reference, due in self.env.execute_query(SQL(
            """
            SELECT partner.commercial_partner_id, move.name, COALESCE(line.date_maturity, line.date)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE %(overdue)s
               AND line.company_id = %(company)s AND partner.commercial_partner_id = ANY(%(ids)s)
          ORDER BY 3, 2
            """, overdue=overdue_item(today), company=company.id, ids=list(partner_ids))):
            key = (due, langs.get(partner_id))
            if key not in dates:
                dates[key] = format_date(self.env, due, lang_code=key[1])
            items.setdefault(partner_id, []).append((reference, dates[key]))
        return items

    @api.model
    def _dunning_items_html(self, items):
        if not items:
            return Markup()
        return Markup('<ul>%s</ul>') % Markup().join(
            Markup('<li>%s – %s</li>') % (reference, due) for reference, due in items)

    @api.model
    def _dunning_signature(self, company):
        """``company``'s name, address and e-mail, closing its letters."""
        lines = [' '.join(line.split('\n')).strip() for line in
                 (company.name, company.partner_id.contact_address, company.email) if line and line.strip()]
        return Markup('<p>%s</p>') % Markup('<br/>').join(lines)

    @api.model
    def _send_dunning_letters(self, company, level, partner_ids, today):
        """Raise these customers to dunning ``level`` and send each the letter
        of that level: its mail template renders the whole batch at once
        (``_generate_template``: subject, body, sender and its own recipients,
        the invoicing contact, in each customer's language), and the mails are
        created at once, logged in the customers' chatter and left to the mail
        queue. What the template cannot fetch cheaply per letter is read for
        the batch here: the invoicing contacts (handed to the template's
        recipients in the rendering context), this company's overdue items and
        its signature (added to the rendered bodies). The mail composer in
        mass mode took half as long again at 31,000 letters (README,
        Benchmark), as did QWeb expressions in the body."""
        customers = self.env['res.partner'].sudo().with_company(company).browse(partner_ids)
        customers.write({'custmgmt_dunning_level': level, 'custmgmt_dunning_date': today})
        items = self._dunning_items(company, partner_ids, today)
        template = self.env.ref(f'custmgmt_addon.mail_template_dunning_{level}').sudo().with_company(company)
        rendered = template.with_context(custmgmt_dunning_contacts=self._invoice_contacts(partner_ids)) \
            ._generate_template(partner_ids, ('subject', 'body_html', 'email_from', 'reply_to', 'partner_to'))
        # the body stays a template of plain field placeholders, which mail renders without
        # compiling QWeb for every letter; this company's items and signature are added to it
        signature = self._dunning_signature(company)
        for partner_id in partner_ids:
            rendered[partner_id]['body_html'] = Markup(rendered[partner_id].get('body_html') or '') \
                + self._dunning_items_html(items.get(partner_id, [])) + signature
        default_from = company.email_formatted or self.env.user.email_formatted
        # the letter as PDF, rendered when the mail queue sends it (see mail.mail)
        report = self.env.ref('custmgmt_addon.action_report_dunning_letter', raise_if_not_found=False)
        values = {
            'model': 'res.partner', 'message_type': 'comment', 'author_id': self.env.user.partner_id.id,
            'subtype_id': self.env['ir.model.data']._xmlid_to_res_id('mail.mt_comment'),
            'auto_delete': template.auto_delete, 'is_notification': True,
            'custmgmt_letter_report_id': report.id if report else False,
        }
        return self.env['mail.mail'].sudo().create([dict(
            values, res_id=customer.id, record_name=customer.display_name,
            subject=rendered[customer.id].get('subject'),
            body=rendered[customer.id].get('body_html'), body_html=rendered[customer.id].get('body_html'),
            email_from=rendered[customer.id].get('email_from') or default_from,
            reply_to=rendered[customer.id].get('reply_to') or False,
            partner_ids=[Command.set(rendered[customer.id].get('partner_ids', []))],
            recipient_ids=[Command.set(rendered[customer.id].get('partner_ids', []))],
        ) for customer in customers])

    @api.model
    def _close_paid(self, company, today, overdue, open_rows, auto_commit=False):
        """Customers no longer overdue: their collection activities are closed
        with a note (unless they still owe another company: activities have no
        company) and this company's dunning level goes back to 0. Returns the
        number of activities closed and levels reset."""
        key = str(company.id)
        candidates = {res_id for _id, res_id, _user in open_rows if res_id not in overdue}
        if candidates:
            candidates -= {row[0] for row in self.env.execute_query(SQL(
                """
                SELECT DISTINCT partner.commercial_partner_id
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE %(overdue)s AND partner.commercial_partner_id = ANY(%(ids)s)
                """, overdue=overdue_item(today), ids=list(candidates)))}
        paid = [act_id for act_id, res_id, _user in open_rows if res_id in candidates]
        for chunk in split_every(COLLECTION_BATCH, paid, list):
            self.env['mail.activity'].sudo().browse(chunk).action_feedback(
                feedback=_("No longer overdue: collection closed."))
            if auto_commit:
                self.env.cr.commit()
                self.env.invalidate_all()
        dunned = [pid for (pid,) in self.env.execute_query(SQL(
            "SELECT id FROM res_partner WHERE (custmgmt_dunning_level ->> %s)::int > 0", key)) if pid not in overdue]
        if dunned:
            self.env['res.partner'].sudo().with_company(company).browse(dunned).write(
                {'custmgmt_dunning_level': 0, 'custmgmt_dunning_date': False})
        return len(paid) + len(dunned)

    @api.model
    def _run(self, company, today=None, auto_commit=False, max_seconds=None):
        """Apply the collection matrix to ``company``'s overdue customers.

        Grouped queries read the overdue customers, the open collection
        activities and the dunning levels; the matrix is ``rules.credit``;
        activities and dunning letters are made in batches, each committed with
        ``auto_commit``. Idempotent: at most one open collection activity per
        customer and person, one dunning step per interval, so a second run
        makes nothing and an interrupted run (``max_seconds`` spent) is
        finished by the next call. Returns ``(done, remaining)``."""
        company.ensure_one()
        self.env['custmgmt.job.runner']._lock(CRON_COLLECTION)
        company, collection = company.sudo(), self.sudo()
        started = time.monotonic()
        today = today or fields.Date.context_today(company)
        cr = self.env.cr
        types = collection._activity_types()
        overdue = collection._overdue_customers(company, today)
        self.env['mail.activity'].flush_model(['res_model', 'res_id', 'user_id', 'activity_type_id', 'active'])
        open_rows = self.env.execute_query(SQL(
            "SELECT id, res_id, user_id FROM mail_activity WHERE res_model = 'res.partner' AND active "
            "AND activity_type_id = ANY(%s)", [t.id for t in types.values()]))
        existing = {(res_id, user_id) for _id, res_id, user_id in open_rows}
        activities, letters = collection._plan(company, today, overdue, existing)
        del existing
        batches = [(None, chunk) for chunk in split_every(COLLECTION_BATCH, activities, list)]
        batches += [(level, chunk) for level, partner_ids in sorted(letters.items())
                    for chunk in split_every(COLLECTION_BATCH, partner_ids, list)]
        del activities, letters
        done = 0
        for number, (level, chunk) in enumerate(batches, 1):
            if level is None:
                collection._create_activities(company, chunk, types, today)
            else:
                collection._send_dunning_letters(company, level, chunk, today)
            done += len(chunk)
            if auto_commit:
                cr.commit()
                self.env.invalidate_all()  # keep the cache, and the memory, to one batch
            if max_seconds is not None and number < len(batches) and time.monotonic() - started >= max_seconds:
                return done, sum(len(chunk) for _level, chunk in batches[number:])
        done += collection._close_paid(company, today, overdue, open_rows, auto_commit=auto_commit)
        if auto_commit:
            cr.commit()
        return done, 0

    @api.model
    def _cron_run(self):
        """Daily collection matrix of every company, in calls of about
        JOB_CALL_SECONDS: while work remains the cron framework calls again,
        and the next call finishes what this one left (the run is idempotent)."""
        self.env['custmgmt.job.runner']._cron_each_company(CRON_COLLECTION, self._run)
