from . import test_access
from . import test_archive
from . import test_tier_engine
from . import test_ui
from . import test_complaint
from . import test_objection_dispute
from . import test_credit
from . import test_collection
