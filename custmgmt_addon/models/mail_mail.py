import base64
import logging

from odoo import fields, models
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval, time

_logger = logging.getLogger(__name__)


class MailMail(models.Model):
    """The dunning letters carry their letter as PDF. The collection queues
    thousands of letters in one run: their PDFs are rendered here, when the
    mail queue sends each letter, not while the collection plans them."""
    _inherit = 'mail.mail'

    custmgmt_letter_report_id = fields.Many2one(
        'ir.actions.report', string="Letter to Attach", readonly=True, ondelete='set null',
        help="Rendered as PDF for the mail's record, in its language, and attached when the mail is sent.")

    def _send(self, *args, **kwargs):
        self._custmgmt_attach_letters()
        return super()._send(*args, **kwargs)

    def _custmgmt_attach_letters(self):
        """Render and attach the letters of the mails in ``self`` that wait
        for theirs (each once). Without wkhtmltopdf the mail goes without it
        rather than not at all."""
        waiting = self.filtered(lambda mail: mail.custmgmt_letter_report_id and mail.res_id
                                and mail.state == 'outgoing')
        if not waiting:
            return
        Report = self.env['ir.actions.report'].sudo()
        testing = config['test_enable']
        if not testing and Report.get_wkhtmltopdf_state() not in ('ok', 'upgrade'):
            _logger.warning("wkhtmltopdf is not installed: %s letters are sent without their PDF.", len(waiting))
            waiting.sudo().write({'custmgmt_letter_report_id': False})
            return
        attachments = self.env['ir.attachment'].sudo()
        # one PDF per letter, as Odoo renders a template's reports (wkhtmltopdf takes one record a
        # call); the mail queue sends mails in batches, so the cost is spread over its runs
        for mail in waiting.sudo():
            report = mail.custmgmt_letter_report_id
            record = self.env[mail.model].sudo().browse(mail.res_id)
            lang = record.lang if 'lang' in record._fields else False
            content, extension = Report.with_context(lang=lang or self.env.lang)._render_qweb_pdf(report, [record.id])
            name = safe_eval(report.print_report_name, {'object': record, 'time': time}) \
                if report.print_report_name else report.name
            attachment = attachments.create({
                'name': f'{name}.{extension}', 'datas': base64.b64encode(content),
                'res_model': mail.model, 'res_id': record.id,
            })
            mail.write({'attachment_ids': [fields.Command.link(attachment.id)], 'custmgmt_letter_report_id': False})
