"""Business rules of custmgmt_addon as plain Python.

Nothing in this package imports Odoo: the models fetch data with grouped SQL,
call these functions and write the results in batches. The top-level ``tests/``
suite imports this package with the addon folder on ``sys.path``.
"""
