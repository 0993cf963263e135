"""Make custmgmt_addon pip-installable next to an installed Odoo 18.

``pip install .`` puts the addon in the ``odoo.addons`` namespace, where Odoo
finds it without an --addons-path entry. Name, version, summary and the Python
requirements (``external_dependencies`` of the manifest, and Odoo 18 itself) come
from the manifest through the OCA's ``manifestoo-core``, as the OCA's wheels do;
nothing here repeats the manifest.
"""
import os
from pathlib import Path

from manifestoo_core.metadata import metadata_from_addon_dir
from setuptools import setup

HERE = Path(__file__).resolve().parent
ADDON = HERE / "custmgmt_addon"
METADATA = metadata_from_addon_dir(ADDON, options={"post_version_strategy_override": "none"})


def addon_packages():
    packages = {}
    for folder, _dirs, files in os.walk(ADDON):
        if "__init__.py" in files:
            rel = os.path.relpath(folder, HERE)
            packages["odoo.addons." + rel.replace(os.sep, ".")] = rel
    return packages


def addon_data():
    return sorted(
        os.path.relpath(os.path.join(folder, name), ADDON)
        for folder, _dirs, files in os.walk(ADDON)
        for name in files
        if not name.endswith((".py", ".pyc")) and "__pycache__" not in folder
    )


setup(
    name=METADATA["Name"],
    version=METADATA["Version"],
    description=METADATA["Summary"],
    license=METADATA["License"],
    python_requires=METADATA["Requires-Python"],
    install_requires=METADATA.get_all("Requires-Dist") or [],
    package_dir=addon_packages(),
    packages=list(addon_packages()),
    package_data={"odoo.addons.custmgmt_addon": addon_data()},
    classifiers=METADATA.get_all("Classifier") or [],
)
