"""Offline stand-in for the get-pip bootstrap script that `ansible-test --venv` downloads.

ansible-test fetches get-pip from a host these machines cannot reach. This script does the same job from
the standard library's ensurepip plus PyPI (which is reachable): it is copied to the cache path that
ansible-test checks before downloading.
"""

import os
import subprocess
import sys

# ensurepip sets PIP_CONFIG_FILE=/dev/null, which hides /etc/pip.conf (its cert= line is needed here).
env = {k: v for k, v in os.environ.items() if k != "PIP_CONFIG_FILE"}
subprocess.run([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"], check=True, env=env,
               stdout=subprocess.DEVNULL)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.run([sys.executable, "-m", "pip", "install", "--upgrade", "--force-reinstall", *args],
                        env=env, check=False).returncode)
