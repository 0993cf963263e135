from . import res_company
from . import res_partner
from . import res_config_settings
from . import custmgmt_decision_member
from . import custmgmt_competitor_line
from . import custmgmt_tier_history
from . import custmgmt_tier_position
