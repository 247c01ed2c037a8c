# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Attributes shared by the collection's modules."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/netbox_librenms.sync.librenms) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - netbox_librenms.sync.librenms
  platform:
    platforms: all
"""

    READ_ONLY = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: This module never changes anything, so check mode runs it exactly as usual.
  diff_mode:
    support: none
"""
