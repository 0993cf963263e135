"""The suites here need no Odoo: the addon folder goes on sys.path so that
``import rules`` loads the pure business rules without importing the addon."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = os.path.join(ROOT, "custmgmt_addon")
if ADDON not in sys.path:
    sys.path.insert(0, ADDON)
