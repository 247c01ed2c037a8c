# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The numeric options' limits: every bad value named in one line, none reinterpreted."""

from __future__ import annotations

import pytest
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.errors import LibrenmsSyncError
from ansible_collections.netbox_librenms.sync.plugins.module_utils._common.limits import (
    LIMITS,
    check_limits,
    limit_problem,
)


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("job_timeout", -1, "job_timeout must be at least 1 (seconds), got -1"),
    ("job_timeout", 0, "job_timeout must be at least 1 (seconds), got 0"),
    ("result_ttl", -1, "result_ttl must be at least 1 (seconds), got -1"),
    ("cache_timeout", 0, "cache_timeout must be at least 1 (seconds), got 0"),
    ("wait_timeout", -5, "wait_timeout must be at least 0 (seconds), got -5"),
    ("background_threshold", -1, "background_threshold must be at least 0 (devices), got -1"),
    ("poll_interval", -1, "poll_interval must be greater than 0 (seconds), got -1"),
    ("poll_interval", 0, "poll_interval must be greater than 0 (seconds), got 0"),
    ("timeout", 0, "timeout must be greater than 0 (seconds), got 0"),
    ("timeout", "-30", "timeout must be greater than 0 (seconds), got '-30'"),
    ("timeout", "soon", "timeout must be a number of seconds, got 'soon'"),
    ("batch_size", 0, "batch_size must be at least 1 (objects), got 0"),
    ("inventory_concurrency", 0, "inventory_concurrency must be at least 1 (requests), got 0"),
    ("inventory_concurrency", 1.5, "inventory_concurrency must be a whole number of requests, got 1.5"),
])
def test_a_value_out_of_its_limits_is_named(name, value, problem):
    assert limit_problem(name, value) == problem


@pytest.mark.parametrize(("name", "value"), [
    ("wait_timeout", 0), ("background_threshold", 0), ("timeout", 0.5), ("poll_interval", 0.1), ("job_timeout", 1),
    ("result_ttl", "60"), ("cache_timeout", 300), ("batch_size", 1), ("inventory_concurrency", 8), ("timeout", None),
    ("not_a_limited_option", -1),
])
def test_values_within_their_limits_and_unset_options_pass(name, value):
    assert limit_problem(name, value) is None


def test_every_problem_at_once_in_one_line_with_the_list_in_the_details():
    with pytest.raises(LibrenmsSyncError) as raised:
        check_limits({"job_timeout": -1, "result_ttl": -1, "timeout": 30, "wait_timeout": 10})
    assert raised.value.msg == ("job_timeout must be at least 1 (seconds), got -1; "
                                "result_ttl must be at least 1 (seconds), got -1")
    assert raised.value.details == {"problems": raised.value.msg.split("; ")}


def test_only_the_names_asked_are_checked():
    check_limits({"job_timeout": -1, "poll_interval": 1}, ("poll_interval",))
    assert set(LIMITS) >= {"job_timeout", "result_ttl", "wait_timeout", "background_threshold", "cache_timeout",
                           "poll_interval", "timeout", "batch_size", "inventory_concurrency"}
