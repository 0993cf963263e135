"""18.0.2.0.0: one naming rule for the fields the addon adds to core models: every one of
them is prefixed ``custmgmt_``. The customer archive and tier fields of 18.0.1.0.0 on
res.partner were not; rename them (columns, field rows, their xml ids and those of their
selection values, filters and exports) before the new code loads.

``PARTNER_FIELD_RENAMES`` is also read by scripts/upgrade_check.py, which compares a
database of 18.0.1.0.0 with the same database upgraded.
"""
import json
import re

from openupgradelib import openupgrade

PARTNER_FIELD_RENAMES = {
    'registered_capital': 'custmgmt_registered_capital',
    'year_founded': 'custmgmt_year_founded',
    'years_in_business': 'custmgmt_years_in_business',
    'industry_position': 'custmgmt_industry_position',
    'employee_count': 'custmgmt_employee_count',
    'business_situation': 'custmgmt_business_situation',
    'statement_day': 'custmgmt_statement_day',
    'credit_standing': 'custmgmt_credit_standing',
    'last_credit_review_date': 'custmgmt_last_credit_review_date',
    'sales_staff_count': 'custmgmt_sales_staff_count',
    'market_coverage': 'custmgmt_market_coverage',
    'business_area': 'custmgmt_business_area',
    'warehouse_area': 'custmgmt_warehouse_area',
    'transport_mode': 'custmgmt_transport_mode',
    'relationship_stage': 'custmgmt_relationship_stage',
    'personality': 'custmgmt_personality',
    'archive_user_id': 'custmgmt_archive_user_id',
    'purchase_decision_process': 'custmgmt_purchase_decision_process',
    'decision_member_ids': 'custmgmt_decision_member_ids',
    'competitor_line_ids': 'custmgmt_competitor_line_ids',
    'sales_month_ids': 'custmgmt_sales_month_ids',
    'decision_member_count': 'custmgmt_decision_member_count',
    'customer_tier': 'custmgmt_tier',
    'tier_monthly_average': 'custmgmt_tier_monthly_average',
    'tier_rank': 'custmgmt_tier_rank',
    'tier_share_before': 'custmgmt_tier_share_before',
    'tier_computed_on': 'custmgmt_tier_computed_on',
    'tier_locked': 'custmgmt_tier_locked',
    'tier_lock_reason': 'custmgmt_tier_lock_reason',
    'tier_explanation': 'custmgmt_tier_explanation',
    'tier_history_count': 'custmgmt_tier_history_count',
    'company_currency_id': 'custmgmt_company_currency_id',
    'complaint_ids': 'custmgmt_complaint_ids',
    'dispute_ids': 'custmgmt_dispute_ids',
    'complaint_count': 'custmgmt_complaint_count',
    'dispute_count': 'custmgmt_dispute_count',
}


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    # res.users shows the partner's fields through its delegation (_inherits): same names
    for model, table in (('res.partner', 'res_partner'), ('res.users', 'res_users')):
        prefix = model.replace('.', '_')
        renames = [(old, new) for old, new in PARTNER_FIELD_RENAMES.items() if _field_row_exists(cr, model, old)]
        openupgrade.rename_fields(env, [(model, table, old, new) for old, new in renames])
        # the xml ids of the field rows and of their selection values follow their names, so
        # that the update finds them instead of making new ones and deleting the old
        xmlids = []
        for old, new in renames:
            xmlids.append((f'custmgmt_addon.field_{prefix}__{old}', f'custmgmt_addon.field_{prefix}__{new}'))
            cr.execute("SELECT name FROM ir_model_data WHERE module = 'custmgmt_addon' AND model = "
                       "'ir.model.fields.selection' AND name LIKE %s", [f'selection__{prefix}__{old}__%'])
            xmlids += [(f'custmgmt_addon.{name}',
                        f'custmgmt_addon.selection__{prefix}__{new}__{name[len(f"selection__{prefix}__{old}__"):]}')
                       for (name,) in cr.fetchall()]
        openupgrade.rename_xmlids(cr, xmlids)
    _rename_in_own_views_and_rules(cr)


def _field_row_exists(cr, model, name):
    cr.execute("SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s", [model, name])
    return bool(cr.fetchone())


def _rename_in_own_views_and_rules(cr):
    """The addon's views of the partner and its record rules name the old fields: the update
    rewrites them, but validates each view with the others of the model as they are still
    stored, so rename the fields in them first (the partner's views and the rules' domains
    only: other models keep fields of the same names, e.g. the tier at creation)."""
    pattern = re.compile(r'\b(%s)\b' % '|'.join(map(re.escape, PARTNER_FIELD_RENAMES)))

    def rename(text):
        return pattern.sub(lambda match: PARTNER_FIELD_RENAMES[match.group(1)], text) if text else text

    cr.execute("""SELECT view.id, view.arch_db FROM ir_ui_view view
                    JOIN ir_model_data data ON data.model = 'ir.ui.view' AND data.res_id = view.id
                   WHERE data.module = 'custmgmt_addon' AND view.model IN ('res.partner', 'res.users')""")
    for view_id, arch in cr.fetchall():
        cr.execute("UPDATE ir_ui_view SET arch_db = %s WHERE id = %s",
                   [json.dumps({lang: rename(text) for lang, text in (arch or {}).items()}), view_id])
    partner_path = re.compile(r'(partner_id|commercial_partner_id)\.(archive_user_id)\b')
    cr.execute("""SELECT rule.id, rule.domain_force FROM ir_rule rule
                    JOIN ir_model_data data ON data.model = 'ir.rule' AND data.res_id = rule.id
                   WHERE data.module = 'custmgmt_addon'""")
    for rule_id, domain in cr.fetchall():
        new_domain = partner_path.sub(lambda match: f'{match.group(1)}.custmgmt_{match.group(2)}', domain or '')
        if new_domain != domain:
            cr.execute("UPDATE ir_rule SET domain_force = %s WHERE id = %s", [new_domain, rule_id])
