from . import custmgmt_partner_sales_month
from . import custmgmt_tier_register
from . import custmgmt_receivable_aging
from . import custmgmt_service_report
from . import custmgmt_documents
from . import custmgmt_service_series
