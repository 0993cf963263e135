"""18.0.2.0.0: the tier engine and the collection matrix moved off res.company to their
service models, the visit schedule off custmgmt.visit to its planner.

Their scheduled actions are ``noupdate`` data, so the upgrade does not rewrite them from
data/*.xml: point each (same xml id, same schedule) at the new model here.
"""
from openupgradelib import openupgrade

# xml id of the scheduled action -> (model it now runs on, its code)
MOVED_CRONS = {
    'ir_cron_recompute_tiers': ('custmgmt.tier.engine', 'model._cron_recompute()'),
    'ir_cron_collection': ('custmgmt.collection', 'model._cron_run()'),
    'ir_cron_plan_visits': ('custmgmt.visit.planner', 'model._cron_plan_visits()'),
}


@openupgrade.migrate()
def migrate(env, version):
    for xmlid, (model, code) in MOVED_CRONS.items():
        cron = env.ref(f'custmgmt_addon.{xmlid}', raise_if_not_found=False)
        if cron:
            cron.write({'model_id': env['ir.model']._get_id(model), 'code': code})
