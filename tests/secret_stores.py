"""Secret stores for the reference tests, made on the spot: a real KeePass database (pykeepass), the
tests' own keyring (keyring_fixture.py) and a stand-in 1Password CLI that behaves as `op read` is
documented to: the value and a newline on stdout, or a non-zero exit with an error on stderr."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from keyring_fixture import FILE_VARIABLE
from pykeepass import create_database

TESTS = Path(__file__).resolve().parent
KEEPASS_PASSWORD = "Master-Key-Of-The-Firm-7"

#: The stand-in `op`: references from the JSON file in FAKE_OP_ITEMS; each call logged (reference only)
#: to FAKE_OP_LOG; FAKE_OP_SIGNED_OUT=1 answers as op does without a session.
FAKE_OP = """#!{python}
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_OP_LOG"], "a") as log:
    log.write(" ".join(args) + "\\n")
stamp = "[ERROR] 2026/12/02 09:30:00 "
if len(args) != 2 or args[0] != "read":
    sys.stderr.write(stamp + "unknown command\\n")
    sys.exit(1)
if os.environ.get("FAKE_OP_SIGNED_OUT"):
    sys.stderr.write(stamp + "You are not currently signed in. Please run `op signin --help` for instructions\\n")
    sys.exit(1)
items = json.load(open(os.environ["FAKE_OP_ITEMS"]))
if args[1] not in items:
    vault, item = args[1][5:].split("/")[:2]
    sys.stderr.write(stamp + f"could not read secret '{{args[1]}}': could not find item {{item}} in vault {{vault}}\\n")
    sys.exit(1)
sys.stdout.write(items[args[1]] + "\\n")
"""


def install_fake_op(folder: Path, items: dict[str, str], env: dict[str, str]) -> Path:
    """Put the stand-in `op` first on env's PATH; returns its call log."""
    bin_dir = folder / "op-bin"
    bin_dir.mkdir()
    op = bin_dir / "op"
    op.write_text(FAKE_OP.format(python=sys.executable))
    op.chmod(0o755)
    (folder / "op-items.json").write_text(json.dumps(items))
    log = folder / "op-calls.log"
    log.write_text("")
    env["PATH"] = f"{bin_dir}:{env.get('PATH', '')}"
    env["FAKE_OP_ITEMS"] = str(folder / "op-items.json")
    env["FAKE_OP_LOG"] = str(log)
    return log


def use_test_keyring(env: dict[str, str], path: Path, entries: dict[str, dict[str, str]]) -> None:
    """Select the tests' keyring in a subprocess's environment, holding `entries`."""
    path.write_text(json.dumps(entries))
    env["PYTHON_KEYRING_BACKEND"] = "keyring_fixture.JsonFileKeyring"
    env[FILE_VARIABLE] = str(path)
    env["PYTHONPATH"] = f"{TESTS}:{env['PYTHONPATH']}" if env.get("PYTHONPATH") else str(TESTS)


def make_keyfile(path: Path) -> Path:
    path.write_bytes(b"a key file may hold any bytes: these 48 are the tests' own \x00\x01\x02")
    return path


def make_kdbx(path: Path, entries: list[dict[str, str]], keyfile: Path | None = None) -> Path:
    """A KDBX 4 database with these entries: title, username, password, and optionally group, url,
    otp (KeePassXC's attribute), trashed (moved to the recycle bin) or any other key as a custom
    property (KeePass 2's TimeOtp-*)."""
    database = create_database(str(path), password=KEEPASS_PASSWORD, keyfile=str(keyfile) if keyfile else None)
    # Saved with a cheap Argon2 (2 passes over 1 MiB, not 14 over 64 MiB): the product reads whatever the
    # header says, and every pacer-verify that opens the file would otherwise spend ~0.6 CPU-s deriving the key.
    kdf = database.kdbx.header.value.dynamic_header.kdf_parameters.data.dict
    kdf.I.value, kdf.M.value = 2, 1 << 20
    groups = {}
    for spec in entries:
        spec = dict(spec)
        group = database.root_group
        if "group" in spec:
            name = spec.pop("group")
            group = groups.get(name) or database.add_group(database.root_group, name)
            groups[name] = group
        entry = database.add_entry(
            group, spec.pop("title"), spec.pop("username"), spec.pop("password"), url=spec.pop("url", None)
        )
        if "otp" in spec:
            entry.otp = spec.pop("otp")
        trashed = spec.pop("trashed", None)
        for key, value in spec.items():
            entry.set_custom_property(key, value, protect=True)
        if trashed:
            database.trash_entry(entry)
    database.save()
    return path
