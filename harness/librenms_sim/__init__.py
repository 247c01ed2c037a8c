"""A LibreNMS API v0 simulator served over real HTTP (stdlib only), for the collection's tests.

The contract it follows is /work/shared/reference/librenms-api.md; see README.md next to this file.
"""

#: Every SNMP secret the simulator hands out contains this marker, so a test can grep any output for leaks.
SECRET_MARKER = "SIMSECRET"  # noqa: S105 - a marker, not a password

#: The device columns LibreNMS returns in clear text on both device endpoints (LibreNMS issue 16048).
SECRET_FIELDS = ("community", "authname", "authpass", "authalgo", "cryptopass", "cryptoalgo")

#: Of those, the ones whose value always carries SECRET_MARKER when set (the algorithms stay plain).
SECRET_VALUE_FIELDS = ("community", "authname", "authpass", "cryptopass")

__all__ = ["SECRET_FIELDS", "SECRET_MARKER", "SECRET_VALUE_FIELDS"]
