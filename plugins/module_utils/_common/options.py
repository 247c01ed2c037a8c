# Copyright: (c) 2026, netbox_librenms.sync contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal to the collection: options read one way, whether a module, a plugin or a worker holds them.

Model: community.hashi_vault's HashiVaultOptionAdapter. The library reads options through the Mapping
interface (``options.get(name)``), so a module's params, a plugin's options and a job's plain dict all work.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

# The LibreNMS server a run speaks for when none is named: the key netbox-librenms-plugin uses too.
DEFAULT_SERVER_KEY = "default"

Options = Mapping[str, Any]


def server_key_of(options: Optional[Options]) -> str:
    """The run's server key; unset or empty means DEFAULT_SERVER_KEY."""
    return (options or {}).get("server_key") or DEFAULT_SERVER_KEY


class OptionAdapter(Mapping):
    """A read-only view of options, built from an AnsibleModule, an Ansible plugin or a dict."""

    def __init__(self, names: Iterable[str], getter: Callable[[str], Any]) -> None:
        self._names = dict.fromkeys(names)  # ordered, and a key lookup per read rather than a scan
        self._getter = getter

    @classmethod
    def from_dict(cls, options: Optional[Options]) -> OptionAdapter:
        values = dict(options or {})
        return cls(values, values.get)

    @classmethod
    def from_ansible_module(cls, module) -> OptionAdapter:
        return cls.from_dict(module.params)

    @classmethod
    def from_ansible_plugin(cls, plugin, names: Optional[Iterable[str]] = None) -> OptionAdapter:
        """The plugin's options (all of them, or ``names``), read through its own get_option."""
        return cls(plugin.get_options() if names is None else names, plugin.get_option)

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        return self._getter(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def with_values(self, **values: Any) -> OptionAdapter:
        """A copy with some options replaced or added (the source is left alone)."""
        return OptionAdapter.from_dict({**dict(self), **values})
