"""A keyring backend of the tests' own, kept in a JSON file: selected in a subprocess with
PYTHON_KEYRING_BACKEND=keyring_fixture.JsonFileKeyring (tests/ on PYTHONPATH) and
PACER_TEST_KEYRING=/path/to/keyring.json, or in-process with `keyring.set_keyring`.

The file is {service: {key: password}}; a lookup that finds nothing answers None, as every real
backend does."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VARIABLE = "PACER_TEST_KEYRING"


class JsonFileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        # keyring tries every backend class it can see: this one only where a test asked for it.
        if FILE_VARIABLE not in os.environ:
            raise RuntimeError(f"{FILE_VARIABLE} is not set")
        return 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self._path = path

    @property
    def path(self) -> Path:
        return self._path or Path(os.environ[FILE_VARIABLE])

    def _load(self) -> dict[str, dict[str, str]]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(username)
        del data[service][username]
        self.path.write_text(json.dumps(data))
