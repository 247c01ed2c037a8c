"""The pinned toolchain runs quietly: no Python warning (CryptographyDeprecationWarning, say) on every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent


COMMANDS = ["ansible", "ansible-playbook", "ansible-inventory", "ansible-doc", "ansible-galaxy"]


@pytest.mark.parametrize("command", COMMANDS)
def test_ansible_commands_print_no_python_warning(command):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    proc = subprocess.run([str(VENV_BIN / command), "--version"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr, proc.stderr
