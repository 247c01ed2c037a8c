"""The netbox_librenms.sync.librenms inventory plugin through a real `ansible-inventory --list`.

LibreNMS is a private simulator started in-process for this module (seed 42, 300 devices), so its counters prove
how many requests each run made. Outputs are compared with the saved files in expected/inventory/ after unwrapping
the unsafe markers (set UPDATE_EXPECTED=1 to rewrite them after a deliberate change, then review the diff). Only
the NetBox enrichment test needs the session's real NetBox; it creates a few `inv-` objects and deletes them.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from harness import netbox_estate
from harness.librenms_sim import SECRET_MARKER
from harness.librenms_sim.control import SimulatorControl
from harness.librenms_sim.server import running_simulator
from harness.settings import REPO_ROOT

pytestmark = pytest.mark.integration

PLUGIN = "netbox_librenms.sync.librenms"
TOKEN = "inv" + secrets.token_hex(16)
EXPECTED = Path(__file__).parent / "expected" / "inventory"
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
ANSIBLE_INVENTORY = str(Path(REPO_ROOT, ".venv", "bin", "ansible-inventory"))
LON1 = "LON1 Docklands, London"

# Every scenario below is an inventory file; the expected output of each is expected/inventory/<name>.json.
FILTERED = {"filters": {"type": "network", "location": LON1, "hardware": "C9200L"}}
ALL_GROUPS = {"show_disabled": True, "show_ignored": True,
              "group_by": ["location", "os", "type", "hardware", "status", "device_groups"]}
COMPOSED = {
    "filters": {"location": "PAR1 Aubervilliers"},
    "use_sysname": False,
    "strip_domain": True,
    "group_by": ["os"],
    "strict": True,
    "compose": {
        "ansible_network_os": "'cisco.ios.ios' if librenms_os in ['ios', 'iosxe'] else 'junipernetworks.junos.junos'",
        "site_code": "librenms_hostname.split('-')[0]",
    },
    "groups": {"no_hardware": "librenms_hardware is none", "long_uptime": "librenms_uptime > 5000000"},
    "keyed_groups": [
        {"key": "librenms_version", "prefix": "version"},
        {"key": "librenms_features | default('', true)", "prefix": "features", "default_value": "none"},
    ],
}


# -- fixtures and helpers ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sim():
    with running_simulator(TOKEN, seed=42, size=300) as server:
        yield SimpleNamespace(url=server.url, control=SimulatorControl(server.url))


@pytest.fixture()
def ctl(sim):
    """Simulator control with counters and fault switches reset before and after the test."""
    sim.control.reset()
    yield sim.control
    sim.control.reset()


@pytest.fixture(scope="module")
def env(sim, tmp_path_factory):
    """Only our plugin, a failed source is an error, the connection in the environment (as users set it)."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("ANSIBLE_", "LIBRENMS_", "NETBOX_"))}
    clean.update(
        ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=str(Path(REPO_ROOT, ".venv", "bin", "python")),
        ANSIBLE_LOCAL_TEMP=str(tmp_path_factory.mktemp("ansible-tmp")),
        ANSIBLE_INVENTORY_ENABLED=PLUGIN,
        ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
        ANSIBLE_NOCOLOR="1",
        LIBRENMS_URL=sim.url,
        LIBRENMS_TOKEN=TOKEN,
    )
    return clean


def write_inventory(directory: Path, name: str, options: dict) -> Path:
    path = directory / f"{name}.librenms.yml"
    path.write_text(yaml.safe_dump({"plugin": PLUGIN, **options}, allow_unicode=True, sort_keys=False))
    return path


def run_inventory(path: Path, env: dict, *secrets_to_hide: str) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [ANSIBLE_INVENTORY, "-i", str(path), "--list"], env=env, cwd=path.parent,
        capture_output=True, text=True, timeout=300, check=False,
    )
    for text in (completed.stdout, completed.stderr):
        assert SECRET_MARKER not in text
        for secret in (TOKEN, *secrets_to_hide):
            assert secret not in text
    return completed


def inventory_json(path: Path, env: dict, *secrets_to_hide: str) -> dict:
    completed = run_inventory(path, env, *secrets_to_hide)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def plain(value):
    """The output without ansible-core's unsafe markers ({"__ansible_unsafe": value})."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return plain(value["__ansible_unsafe"])
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def normalized(output: dict, with_hostvars: bool = True) -> dict:
    """Groups with sorted members, and the host variables (or only the host names)."""
    data = plain(output)
    meta = data.pop("_meta")
    groups = {name: {key: sorted(body[key]) for key in ("children", "hosts") if key in body}
              for name, body in sorted(data.items())}
    if with_hostvars:
        return {"groups": groups, "hostvars": dict(sorted(meta["hostvars"].items()))}
    return {"groups": groups, "hosts": sorted(meta["hostvars"])}


def assert_expected(name: str, data: dict) -> None:
    path = EXPECTED / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    assert path.exists(), f"{path} is missing: run with UPDATE_EXPECTED=1 and review it"
    assert data == json.loads(path.read_text())


def assert_api_data_unsafe(output: dict) -> None:
    """Every text value read from LibreNMS or NetBox reaches Ansible marked unsafe."""
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, dict) and set(value) != {"__ansible_unsafe"}:
            for item in value.values():
                yield from strings(item)

    for hostvars in output["_meta"]["hostvars"].values():
        for key, value in hostvars.items():
            if key.startswith(("librenms_", "netbox_")) or key == "ansible_host":
                assert not list(strings(value)), (key, value)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- what hosts, variables and groups come out ---------------------------------------------------------------

def test_filters_one_list_call_and_duplicate_names(ctl, env, tmp_path):
    completed = run_inventory(write_inventory(tmp_path, "filtered", FILTERED), env)
    assert completed.returncode == 0, completed.stderr
    output = json.loads(completed.stdout)
    assert_expected("filtered", normalized(output))
    assert_api_data_unsafe(output)
    hostvars = output["_meta"]["hostvars"]
    # Devices 15 and 16 share the sysName "switch": the lower id keeps it, with one warning naming both.
    assert plain(hostvars["switch"]["librenms_device_id"]) == 15
    assert plain(hostvars["switch_16"]["librenms_device_id"]) == 16
    assert "1 inventory name is shared" in completed.stderr and "16 as 'switch_16'" in completed.stderr
    # One request: the most selective filter went to the API, the others were applied locally.
    stats = ctl.stats()
    assert stats["total"] == 1 and stats["by_endpoint"]["list_devices"] == 1
    assert ctl.requests()[-1]["query"] == {"type": "type", "query": "network"}


@pytest.mark.parametrize("switch", ["legacy_types", "old_server"])
def test_legacy_string_types_and_old_servers_give_the_same_inventory(ctl, env, tmp_path, switch):
    """Every scalar as a string (old LibreNMS), or a server that ignores `type` and answers every device."""
    ctl.configure(**{switch: True})
    output = inventory_json(write_inventory(tmp_path, "filtered", FILTERED), env)
    assert_expected("filtered", normalized(output))
    assert ctl.stats()["total"] == 1


def test_group_by_every_field_and_device_groups(ctl, env, tmp_path):
    output = inventory_json(write_inventory(tmp_path, "all-groups", ALL_GROUPS), env)
    assert_expected("all_groups", normalized(output, with_hostvars=False))
    hostvars = output["_meta"]["hostvars"]
    assert len(hostvars) == 300  # disabled and ignored devices shown on request
    assert plain(hostvars["lon1-leaf-noinv10"]["librenms_device_groups"]) == ["London"]
    assert "device_group_Decommissioned" not in output  # an empty group (404 from LibreNMS) has no host
    # One list call, one call for the groups, one per group (the empty one answered 404).
    stats = ctl.stats()
    assert stats["by_endpoint"] == {**dict.fromkeys(stats["by_endpoint"], 0),
                                    "list_devices": 1, "devicegroups": 1, "devicegroup": 4}
    assert stats["by_status"] == {"200": 5, "404": 1}


def test_compose_groups_keyed_groups_and_naming_options(ctl, env, tmp_path):
    output = inventory_json(write_inventory(tmp_path, "composed", COMPOSED), env)
    assert_expected("composed", normalized(output))
    hostvars = plain(output["_meta"]["hostvars"])
    # strip_domain shortens DNS names and keeps an IP whole; ansible_host is the IP LibreNMS polls.
    assert hostvars["par1-acc-sw05"]["ansible_host"] == "10.100.0.6"
    assert hostvars["10.250.0.21"]["librenms_hostname"] == "10.250.0.21"
    assert hostvars["par1-acc-sw05"]["ansible_network_os"] == "cisco.ios.ios"
    assert "par1-acc-nohw20" in output["no_hardware"]["hosts"]
    # The disabled device of PAR1 stays out unless show_disabled is set.
    assert "par1-acc-disabled12" not in hostvars
    assert ctl.stats()["total"] == 1


def test_templated_token(ctl, env, tmp_path):
    hidden = dict(env, INV_TEST_TOKEN=TOKEN)
    del hidden["LIBRENMS_TOKEN"]
    options = dict(FILTERED, librenms_token="{{ lookup('ansible.builtin.env', 'INV_TEST_TOKEN') }}")
    output = inventory_json(write_inventory(tmp_path, "templated", options), hidden)
    assert_expected("filtered", normalized(output))
    assert ctl.requests()[-1]["status"] == 200


# -- cache ----------------------------------------------------------------------------------------------------

def test_a_cached_run_makes_no_request(ctl, env, tmp_path):
    cache_dir = tmp_path / "cache"
    options = dict(ALL_GROUPS, cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(cache_dir),
                   cache_timeout=600)
    path = write_inventory(tmp_path, "cached", options)
    first = inventory_json(path, env)
    assert ctl.stats()["total"] == 6
    ctl.reset()
    # The cache answers: no request at all, even with a token LibreNMS would refuse.
    second = inventory_json(path, dict(env, LIBRENMS_TOKEN="inv-wrong-token"), "inv-wrong-token")
    assert ctl.stats()["total"] == 0
    assert second == first
    cached = "".join(item.read_text() for item in cache_dir.iterdir())
    assert cached and SECRET_MARKER not in cached and TOKEN not in cached
    # Other options asking other questions do not reuse that entry.
    path.write_text(path.read_text().replace("show_ignored: true", "show_ignored: false"))
    third = inventory_json(path, env)
    assert ctl.stats()["by_endpoint"]["list_devices"] == 1
    ignored = {name for name, hostvars in first["_meta"]["hostvars"].items() if hostvars["librenms_ignore"]}
    assert ignored and set(third["_meta"]["hostvars"]) == set(first["_meta"]["hostvars"]) - ignored


# -- errors ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "needle"), [
    ("bad_token", "the API token was rejected (401"),
    ("unreachable", "cannot connect"),
    ("forbidden", "permission denied (403"),
    ("not_json", "answer is not JSON"),
    ("no_url", "librenms_url is required"),
    ("bad_filter", "Unknown search filter 'vendor'"),
    ("misspelt_key", "unknown key 'filter' (did you mean 'filters'?)"),
    ("no_list_key", "the answer (HTTP 200) has no 'devices' list"),
])
def test_errors_are_one_clear_message(ctl, env, tmp_path, sim, case, needle):
    run_env = dict(env)
    options = dict(FILTERED)
    if case == "bad_token":
        run_env["LIBRENMS_TOKEN"] = "inv-bad-token-0123"
    elif case == "unreachable":
        run_env["LIBRENMS_URL"] = f"http://127.0.0.1:{closed_port()}"
    elif case in ("forbidden", "not_json", "no_list_key"):
        ctl.configure(**{case: True})
    elif case == "no_url":
        del run_env["LIBRENMS_URL"]
    elif case == "misspelt_key":
        options = {"filter": FILTERED["filters"]}
    else:
        options = {"filters": {"vendor": "cisco"}}
    path = write_inventory(tmp_path, case, options)
    completed = run_inventory(path, run_env, "inv-bad-token-0123")
    assert completed.returncode != 0
    assert needle in completed.stderr
    if case not in ("no_url", "bad_filter", "misspelt_key"):
        assert run_env["LIBRENMS_URL"] in completed.stderr  # the message names the server
    if case == "misspelt_key":
        assert str(path) in completed.stderr and ctl.stats()["total"] == 0  # names the file; asks nothing
    assert completed.stderr.count("[WARNING]: Failed to parse inventory with") == 1  # one plugin, one failure
    assert "Traceback" not in completed.stderr and "Traceback" not in completed.stdout


# -- NetBox enrichment (real NetBox) -------------------------------------------------------------------------

NB_TAG = "inv-inventory-plugin"
SERVER_KEY = "inv-test"


def _remove_netbox_objects(nb) -> None:
    tag = nb.extras.tags.get(slug=NB_TAG)
    if tag is None:
        return
    for endpoint in (nb.dcim.devices, nb.dcim.device_types, nb.dcim.device_roles, nb.dcim.manufacturers,
                     nb.dcim.sites):
        ids = [record.id for record in endpoint.filter(tag=NB_TAG)]
        if ids:
            endpoint.delete(ids)
    tag.delete()


@pytest.fixture(scope="module")
def nb_devices(netbox):
    """Three NetBox devices: linked to device 25 by librenms_id, named like device 26, and one holding the serial
    of device 29 under another name (a conflict, so not device 29)."""
    _remove_netbox_objects(netbox)
    netbox_estate.ensure_librenms_id_field(netbox)
    tag = netbox.extras.tags.create(name=NB_TAG, slug=NB_TAG)
    tags = [tag.id]
    site = netbox.dcim.sites.create(name="INV LON1", slug="inv-lon1", tags=tags)
    maker = netbox.dcim.manufacturers.create(name="INV Arista", slug="inv-arista", tags=tags)
    model = netbox.dcim.device_types.create(manufacturer=maker.id, model="INV DCS-7050SX-64",
                                            slug="inv-dcs-7050sx-64", tags=tags)
    role = netbox.dcim.device_roles.create(name="INV Leaf", slug="inv-leaf", color="00aa00", tags=tags)
    common = {"site": site.id, "device_type": model.id, "role": role.id, "tags": tags}
    created = netbox.dcim.devices.create([
        dict(common, name="inv-linked-25", custom_fields={"librenms_id": {SERVER_KEY: 25}}),
        dict(common, name="lon1-leaf-byname26"),
        dict(common, name="inv-conflict-29", serial="JPE0028LF90"),
    ])
    try:
        yield {record.id: record.name for record in created}
    finally:
        _remove_netbox_objects(netbox)


def test_netbox_enrichment_one_listing_and_cached(ctl, env, tmp_path, services, nb_devices):
    netbox_url = services["netbox"]["url"].rstrip("/")
    netbox_token = services["netbox"]["token_v2"]
    run_env = dict(env, NETBOX_URL=netbox_url, NETBOX_TOKEN=netbox_token)
    options = {"filters": {"location": LON1, "os": "eos"}, "server_key": SERVER_KEY, "cache": True,
               "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    path = write_inventory(tmp_path, "netbox", options)
    output = inventory_json(path, run_env, netbox_token)
    assert_api_data_unsafe(output)

    def placeholders(value):
        """NetBox ids change from run to run: name them after the device instead."""
        if isinstance(value, dict):
            return {key: placeholders(item) for key, item in value.items()}
        if isinstance(value, str) and value.startswith(f"{netbox_url}/dcim/devices/"):
            return f"<netbox>/dcim/devices/<{nb_devices[int(value.rstrip('/').rsplit('/', 1)[1])]}>/"
        return value

    data = normalized(output)
    for hostvars in data["hostvars"].values():
        if "netbox_device_id" in hostvars:
            hostvars["netbox_device_id"] = f"<{nb_devices[hostvars['netbox_device_id']]}>"
    data = placeholders(data)
    assert_expected("netbox", data)
    enriched = {name: hostvars["netbox_device_id"] for name, hostvars in data["hostvars"].items()
                if "netbox_device_id" in hostvars}
    assert enriched == {"lon1-leaf-byid25": "<inv-linked-25>", "lon1-leaf-byname26": "<lon1-leaf-byname26>"}
    assert ctl.stats()["total"] == 1

    # Cached: no request to LibreNMS, and none to NetBox either (its token is now wrong and nothing fails).
    ctl.reset()
    again = inventory_json(path, dict(run_env, NETBOX_TOKEN="inv-wrong-nb-token"), netbox_token)
    assert again == output
    assert ctl.stats()["total"] == 0
