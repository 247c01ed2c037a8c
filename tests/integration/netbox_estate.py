"""Moved to harness/netbox_estate.py (the demo seeds NetBox with it too)."""

from harness.netbox_estate import *  # noqa: F403
