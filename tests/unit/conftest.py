# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests run with ansible-core's plugin and collection loaders set up as ansible-inventory sets them up.

Done when this file is imported, before any test module imports the collection: the collection finder must load
the collection (and its metadata) itself. Filters and tests in templates then resolve as in a real run, which the
constructed inventory tests rely on.
"""

from __future__ import annotations

from pathlib import Path

from ansible.plugins.loader import init_plugin_loader

init_plugin_loader([str(Path(__file__).resolve().parents[2] / "collections")])
