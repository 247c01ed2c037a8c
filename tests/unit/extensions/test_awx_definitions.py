"""The AWX definitions in extensions/awx: credential types (YAML and the JSON AWX's API takes), job template, survey.

They are pasted or posted into AWX by hand, so nothing else would notice when they drift from each other or from
the environment variables and role options the collection actually reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
import yaml
from ansible_collections.netbox_librenms.sync.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    REDIS_URL_SPEC,
)
from jinja2 import meta

ROOT = Path(__file__).resolve().parents[3]
AWX = ROOT / "extensions" / "awx"
TYPES = ("librenms", "netbox")
INJECTED = {"LIBRENMS_URL", "LIBRENMS_TOKEN", "NETBOX_URL", "NETBOX_TOKEN", "NETBOX_LIBRENMS_REDIS_URL"}


def credential_type(name: str) -> dict:
    return yaml.safe_load((AWX / "credential_types" / f"{name}.yml").read_text())


def variables_of(template: str) -> set:
    environment = jinja2.Environment(autoescape=True)  # parsed only, never rendered
    # Ansible's own filters that the job template uses: only their names matter to the parser
    environment.filters.update(dict2items=list, items2dict=dict)
    return meta.find_undeclared_variables(environment.parse(template))


def environment_variables_read() -> set:
    """Every environment variable the modules fall back to for a connection option or the Redis URL."""
    specs = [*CONNECTION_ARGUMENT_SPEC.values(), REDIS_URL_SPEC]
    return {name for spec in specs if "fallback" in spec for name in spec["fallback"][1]}


@pytest.mark.parametrize("name", TYPES)
def test_yaml_and_json_definitions_agree(name):
    as_json = json.loads((AWX / "credential_types" / f"{name}.json").read_text())
    assert as_json == credential_type(name)


@pytest.mark.parametrize("name", TYPES)
def test_credential_type_shape(name):
    definition = credential_type(name)
    assert set(definition) == {"name", "description", "kind", "inputs", "injectors"}
    assert definition["kind"] == "cloud"
    assert set(definition["injectors"]) == {"env"}
    fields = {field["id"]: field for field in definition["inputs"]["fields"]}
    assert set(definition["inputs"]["required"]) <= set(fields)
    for field_id, field in fields.items():
        assert field["type"] == "string"
        # tokens, and the Redis URL that may carry a password, are secret; the server URLs are not
        assert field.get("secret", False) is (not field_id.endswith("_url") or field_id == "redis_url")
    for template in definition["injectors"]["env"].values():
        assert variables_of(template) <= set(fields)


def test_injected_variables_are_exactly_those_the_modules_read():
    injected = [name for type_name in TYPES for name in credential_type(type_name)["injectors"]["env"]]
    assert len(injected) == len(set(injected))
    assert set(injected) == INJECTED
    assert environment_variables_read() - INJECTED == {"NETBOX_API"}  # an alias of NETBOX_URL


def test_survey_feeds_the_job_template_and_the_template_feeds_the_role():
    template = yaml.safe_load((AWX / "job_template.yml").read_text())
    survey = json.loads((AWX / "survey_spec.json").read_text())
    asked = [question["variable"] for question in survey["spec"]]
    assert len(asked) == len(set(asked))
    used = set().union(*(variables_of(value) for value in template["extra_vars"].values() if isinstance(value, str)))
    assert set(asked) <= used
    role_options = yaml.safe_load((ROOT / "roles" / "import" / "meta" / "argument_specs.yml").read_text())
    assert set(template["extra_vars"]) <= set(role_options["argument_specs"]["main"]["options"])
    assert template["playbook"] == "playbooks/import.yml" and (ROOT / template["playbook"]).is_file()
    assert len(template["credentials"]) == len(TYPES)
    for question in survey["spec"]:
        assert question["type"] in {"text", "multiplechoice"}
        assert question["default"] in question.get("choices", [question["default"]])
