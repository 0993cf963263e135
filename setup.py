"""Make custmgmt_addon pip-installable next to an installed Odoo 18.

``pip install .`` puts the addon in the ``odoo.addons`` namespace, where Odoo
finds it without an --addons-path entry.
"""
import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = ast.literal_eval(open(os.path.join(HERE, "custmgmt_addon", "__manifest__.py"), encoding="utf-8").read())


def addon_packages():
    packages = {}
    for folder, _dirs, files in os.walk(os.path.join(HERE, "custmgmt_addon")):
        if "__init__.py" in files:
            rel = os.path.relpath(folder, HERE)
            packages["odoo.addons." + rel.replace(os.sep, ".")] = rel
    return packages


def addon_data():
    data = []
    for folder, _dirs, files in os.walk(os.path.join(HERE, "custmgmt_addon")):
        for name in files:
            if not name.endswith((".py", ".pyc")):
                data.append(os.path.relpath(os.path.join(folder, name), os.path.join(HERE, "custmgmt_addon")))
    return data


setup(
    name="odoo-addon-custmgmt_addon",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    license="LGPL-3",
    python_requires=">=3.10",
    install_requires=["openupgradelib"],
    package_dir=addon_packages(),
    packages=list(addon_packages()),
    package_data={"odoo.addons.custmgmt_addon": addon_data()},
    classifiers=["Framework :: Odoo", "Framework :: Odoo :: 18.0",
                 "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)"],
)
