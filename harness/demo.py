"""`make demo`: the main job end to end against the local services, as a newcomer would run it.

Starts the services, gives NetBox the sites, device types, roles and cluster the simulated LibreNMS estate
needs (plus a few devices that already exist or conflict), then runs playbooks/import.yml twice: the first
run imports what is ready, the second shows that a re-run changes nothing. The services keep running so
that the imported devices can be looked at in NetBox; `make services-down` stops them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from harness import netbox_estate, stack
from harness.errors import HarnessError
from harness.librenms_sim.estate import build_estate
from harness.settings import REPO_ROOT, load_settings

PLAYBOOK = REPO_ROOT / "playbooks" / "import.yml"


def seed_netbox(endpoints: dict, settings) -> None:
    import pynetbox

    api = pynetbox.api(endpoints["netbox"]["url"], token=endpoints["netbox"]["token_v2"])
    if api.extras.tags.get(slug=netbox_estate.TAG) is not None:
        return
    estate = build_estate(seed=settings.librenms_seed, size=settings.librenms_size)
    specials = {row["device_id"]: row for row in estate.devices}
    wanted = range(netbox_estate.EXISTING_BY_ID, netbox_estate.CONFLICT_LIBRENMS_ID + 1)
    netbox_estate.build_estate(api, {i: specials[i]["serial"] for i in wanted}, {i: specials[i]["ip"] for i in wanted})


def demo_variables(settings) -> Path:
    estate = build_estate(seed=settings.librenms_seed, size=settings.librenms_size)
    variables = {
        "import_site_map": netbox_estate.SITE_MAP,
        "import_device_type_map": netbox_estate.DEVICE_TYPE_MAP,
        "import_role": netbox_estate.DEFAULT_ROLE,
        "import_role_rules": netbox_estate.ROLE_RULES,
        "import_selections": {
            str(estate.specials["vm_server"]): {"as_vm": True, "cluster": netbox_estate.CLUSTER},
        },
    }
    path = settings.run_dir / "demo-vars.json"
    path.write_text(json.dumps(variables, indent=2))
    return path


def run_playbook(variables: Path, endpoints: dict, title: str, report: Path) -> str:
    """Run the import playbook, with its HTML review report written to report; return the play recap."""
    print(f"\n=== {title}: ansible-playbook playbooks/import.yml ===", flush=True)
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
        NETBOX_URL=endpoints["netbox"]["url"],
        NETBOX_TOKEN=endpoints["netbox"]["token_v2"],
        LIBRENMS_URL=endpoints["librenms"]["url"],
        LIBRENMS_TOKEN=endpoints["librenms"]["token"],
    )
    command = [str(Path(sys.executable).parent / "ansible-playbook"), str(PLAYBOOK), "-e", f"@{variables}",
               "-e", json.dumps({"import_report_path": str(report)})]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    print(proc.stdout, end="", flush=True)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise HarnessError(f"the demo playbook failed (exit {proc.returncode}); its output is above")
    recap = [line for line in proc.stdout.splitlines() if line.startswith("localhost")]
    return recap[-1] if recap else ""


def where_to_look(endpoints: dict, reports: dict) -> None:
    import pynetbox

    api = pynetbox.api(endpoints["netbox"]["url"], token=endpoints["netbox"]["token_v2"])
    counts = {
        "devices": api.dcim.devices.count(),
        "virtual chassis": api.dcim.virtual_chassis.count(),
        "virtual machines": api.virtualization.virtual_machines.count(),
        # what the role's sync step (librenms_device_sync) created on them
        "interfaces": api.dcim.interfaces.count() + api.virtualization.interfaces.count(),
        "MAC addresses": api.dcim.mac_addresses.count(),
        "IP addresses": api.ipam.ip_addresses.count(),
        "devices with a primary IP": api.dcim.devices.count(has_primary_ip=True),
        "cables": api.dcim.cables.count(),
    }
    netbox = endpoints["netbox"]
    print("\n=== Where to look ===")
    print(f"NetBox:   {netbox['url']}/dcim/devices/ (and /dcim/interfaces/, /ipam/ip-addresses/, /dcim/cables/)")
    print(f"Login:    user {netbox['admin_user']}, password {netbox['admin_password']} (a throwaway local instance)")
    print("In NetBox: " + ", ".join(f"{count} {what}" for what, count in counts.items()))
    for title, report in reports.items():
        print(f"Review report, {title}: {report}")
    print("Stop the services with: make services-down")


def main() -> int:
    try:
        settings = load_settings()
        endpoints = stack.up(settings)
        seed_netbox(endpoints, settings)
        variables = demo_variables(settings)
        reports = {"before the import": settings.run_dir / "review-first-run.html",
                   "after it": settings.run_dir / "review-second-run.html"}
        first = run_playbook(variables, endpoints, "First run: search, review, import", reports["before the import"])
        second = run_playbook(variables, endpoints, "Second run: nothing left to do", reports["after it"])
        print(f"\nfirst run:  {first}\nsecond run: {second}")
        where_to_look(endpoints, reports)
    except HarnessError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
