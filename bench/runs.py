"""The measured runs: playbooks run with ansible-playbook, and bench.child runs (the library or a raw script).

Each run gets a fresh directory under .cache/bench; its process tree is timed and sampled as a whole.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import List

from bench.context import PYTHON, VENV_BIN, Context
from bench.measure import Measured, run_measured
from harness.settings import REPO_ROOT

# One task of one of our modules; the registered result is reduced to the figures before it is saved (with the
# number of rows it returned in `devices`: 0 for a module or a search that returns none).
MODULE_TASK = """
- name: Benchmark one task
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Start the task's clock
      ansible.builtin.set_fact:
        bench_started: "{{{{ now().timestamp() }}}}"
    - name: The measured task
      {module}: "{{{{ module_args }}}}"
      register: outcome
    - name: Stop the task's clock
      ansible.builtin.set_fact:
        bench_task_s: "{{{{ now().timestamp() - bench_started | float }}}}"
    - name: Save the figures of the task
      ansible.builtin.copy:
        content: "{{{{ outcome | dict2items | selectattr('key', 'in', keep) | items2dict
                    | combine({{'task_s': bench_task_s | float,
                                'rows_returned': outcome.devices | default([]) | length}}) | to_json }}}}"
        dest: "{{{{ result_path }}}}"
        mode: "0600"
      vars:
        keep: [changed, failed, msg, api_calls, summary, counts]
"""

# What users write with netbox.netbox: one netbox_device task per device (netbox.netbox 3.23 takes device_role).
NETBOX_DEVICE_LOOP = """
- name: Benchmark a loop of netbox.netbox.netbox_device
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Start the loop's clock
      ansible.builtin.set_fact:
        bench_started: "{{ now().timestamp() }}"
    - name: One netbox_device task per device
      netbox.netbox.netbox_device:
        netbox_url: "{{ lookup('ansible.builtin.env', 'NETBOX_URL') }}"
        netbox_token: "{{ lookup('ansible.builtin.env', 'NETBOX_TOKEN_V1') }}"
        data: "{{ item }}"
        state: present
      loop: "{{ devices }}"
      loop_control:
        label: "{{ item.name }}"
      register: outcome
    - name: Stop the loop's clock
      ansible.builtin.set_fact:
        bench_task_s: "{{ now().timestamp() - bench_started | float }}"
    - name: Save the figures of the loop
      ansible.builtin.copy:
        content: "{{ {'task_s': bench_task_s | float,
                      'changed': outcome.results | selectattr('changed') | list | length,
                      'failed': outcome.results | selectattr('failed', 'defined') | selectattr('failed') | list
                                | length,
                      'results': outcome.results | length} | to_json }}"
        dest: "{{ result_path }}"
        mode: "0600"
"""

# What users write with netbox.netbox for B6: one task per interface, per IP address and per cable.
NETBOX_SYNC_LOOP = """
- name: Benchmark loops of netbox_device_interface, netbox_ip_address and netbox_cable
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/netbox.netbox.netbox:
      netbox_url: "{{ lookup('ansible.builtin.env', 'NETBOX_URL') }}"
      netbox_token: "{{ lookup('ansible.builtin.env', 'NETBOX_TOKEN_V1') }}"
  tasks:
    - name: Start the loops' clock
      ansible.builtin.set_fact:
        bench_started: "{{ now().timestamp() }}"
    - name: One netbox_device_interface task per interface
      netbox.netbox.netbox_device_interface:
        data: "{{ item }}"
        state: present
      loop: "{{ interfaces }}"
      loop_control:
        label: "{{ item.device }} {{ item.name }}"
      register: interface_results
    - name: One netbox_ip_address task per address
      netbox.netbox.netbox_ip_address:
        data: "{{ item }}"
        state: present
      loop: "{{ ips }}"
      loop_control:
        label: "{{ item.address }}"
      register: ip_results
    - name: One netbox_cable task per cable
      netbox.netbox.netbox_cable:
        data: "{{ item }}"
        state: present
      loop: "{{ cables }}"
      loop_control:
        label: "{{ item.termination_a.device }} {{ item.termination_a.name }}"
      register: cable_results
    - name: Stop the loops' clock
      ansible.builtin.set_fact:
        bench_task_s: "{{ now().timestamp() - bench_started | float }}"
    - name: Save the figures of the loops
      ansible.builtin.copy:
        content: "{{ {'task_s': bench_task_s | float,
                      'changed': (interface_results.results + ip_results.results + cable_results.results)
                                 | selectattr('changed') | list | length,
                      'results': (interface_results.results + ip_results.results + cable_results.results)
                                 | length} | to_json }}"
        dest: "{{ result_path }}"
        mode: "0600"
"""

# Ansible's fixed cost: start-up, one module shipped and run on localhost, the result back.
PING = """
- name: Benchmark Ansible's own start-up and one module run
  hosts: localhost
  gather_facts: false
  tasks:
    - name: One module that does nothing
      ansible.builtin.ping:
    - name: Save an empty result
      ansible.builtin.copy:
        content: "{}"
        dest: "{{ result_path }}"
        mode: "0600"
"""


def run_playbook(ctx: Context, text: str, variables: dict, collections: List[Path] = ()) -> tuple:
    """(Measured, the JSON the playbook saved): ansible-playbook timed as a whole, its process tree sampled."""
    run_dir = Path(tempfile.mkdtemp(dir=ctx.work))
    playbook = run_dir / "play.yml"
    playbook.write_text(text)
    result_path = run_dir / "result.json"
    variables_path = run_dir / "vars.json"
    variables_path.write_text(json.dumps(dict(variables, result_path=str(result_path))))
    command = [str(VENV_BIN / "ansible-playbook"), str(playbook), "-e", f"@{variables_path}"]
    measured: Measured = run_measured(command, ctx.child_env(collections), cwd=str(run_dir))
    if measured.returncode != 0 or not result_path.exists():
        raise RuntimeError(f"ansible-playbook failed (exit {measured.returncode}):\n{_redacted(ctx, measured.tail())}")
    return measured, json.loads(result_path.read_text())


def run_module(ctx: Context, module: str, module_args: dict) -> tuple:
    return run_playbook(ctx, MODULE_TASK.format(module=module), {"module_args": module_args})


def run_ping(ctx: Context) -> Measured:
    return run_playbook(ctx, PING, {})[0]


def run_child(ctx: Context, mode: str, args: dict) -> tuple:
    """(Measured, the child's own figures) of `python -m bench.child <mode>`."""
    run_dir = Path(tempfile.mkdtemp(dir=ctx.work))
    args_path = run_dir / "args.json"
    args_path.write_text(json.dumps(args))
    measured = run_measured([PYTHON, "-m", "bench.child", mode, str(args_path)], ctx.child_env(), cwd=str(REPO_ROOT))
    if measured.returncode != 0:
        detail = _redacted(ctx, measured.tail())
        raise RuntimeError(f"bench child {mode} failed (exit {measured.returncode}):\n{detail}")
    return measured, measured.last_json()


def _redacted(ctx: Context, text: str) -> str:
    for secret in ctx.secrets():
        text = text.replace(secret, "<redacted>")
    return text
