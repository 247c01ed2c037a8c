"""Test harness: the real services (Redis, PostgreSQL, NetBox, a LibreNMS simulator) on loopback."""
