from . import custmgmt_tier_set_wizard
from . import custmgmt_tier_preview_wizard
from . import custmgmt_credit_policy_wizard
from . import custmgmt_lifecycle_lost_wizard
