"""Secret references in a roster, read without signing in: the system keyring (the tests' own backend),
a real KeePass database, the 1Password CLI (a stand-in `op`), env:, literal:, and kinds pacer-verify
does not know. A reference that fails is that row's invalid_input, naming the row, field and why."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring_fixture import JsonFileKeyring
from pydantic import SecretStr
from secret_stores import KEEPASS_PASSWORD, install_fake_op, make_kdbx, make_keyfile

from flows.otp import normalize_secret
from verifier.errors import UsageError
from verifier.roster import KNOWN, read_roster
from verifier.roster.keepass import KeePassSource
from verifier.roster.secret_refs import SecretSources
from verifier.roster.template import template_text
from verifier.run.results import result_of_invalid_row

OTP_A = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
OTP_B = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.fixture
def test_keyring(tmp_path: Path) -> Iterator[JsonFileKeyring]:
    previous = keyring.get_keyring()
    backend = JsonFileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def roster(tmp_path: Path, *rows: str, header: str = "name,username,password,otp_secret") -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    path.chmod(0o600)
    return path


def secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


# --- the system keyring ------------------------------------------------------------------------------


def test_keyring_gives_password_and_otp_under_the_username(tmp_path: Path, test_keyring: JsonFileKeyring) -> None:
    test_keyring.set_password("pacer-verify", "jdoe1234", "Kr-Passw0rd-1")
    test_keyring.set_password("pacer-verify", "jdoe1234:otp", OTP_A)
    test_keyring.set_password("firm-pacer", "asmith2001", "Kr-Passw0rd-2")
    parsed = read_roster(roster(tmp_path, "J,jdoe1234,keyring:,keyring:", "A,asmith2001,keyring:firm-pacer,"))
    assert parsed.errors == []
    jdoe, asmith = parsed.accounts
    assert secret(jdoe.password) == "Kr-Passw0rd-1" and secret(jdoe.otp_secret) == OTP_A
    assert secret(asmith.password) == "Kr-Passw0rd-2" and asmith.otp_secret is None
    assert "Kr-Passw0rd" not in repr(parsed)


def test_a_missing_keyring_entry_is_that_rows_error_and_the_others_go_on(
    tmp_path: Path, test_keyring: JsonFileKeyring
) -> None:
    test_keyring.set_password("pacer-verify", "asmith2001", "Kr-Passw0rd-2")
    parsed = read_roster(roster(tmp_path, "J,jdoe1234,keyring:,", "A,asmith2001,keyring:,"))
    assert [a.username for a in parsed.accounts] == ["asmith2001"]
    (error,) = parsed.errors
    assert error.describe() == (
        "row 1 (line 2), field 'password': no keyring entry for service pacer-verify, key jdoe1234"
    )
    assert result_of_invalid_row(error).status.value == "invalid_input"


def test_no_usable_keyring_is_said_plainly(tmp_path: Path) -> None:
    from keyring.backends.fail import Keyring as NoKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        (error,) = read_roster(roster(tmp_path, "J,jdoe1234,keyring:,")).errors
    finally:
        keyring.set_keyring(previous)
    assert error.field == "password" and error.message.startswith("no system keyring on this machine")


# --- references pacer-verify does not know are never passwords -------------------------------------


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("vault:secret/pacer/jdoe", "'vault:' is not a kind of reference pacer-verify knows"),
        ("bw:PACER jdoe", "'bw:' is not a kind"),
        ("keyrnig:", "did you mean keyring:?"),
        ("KeePas:", "did you mean keepass:?"),
        ("evn:PW", "did you mean env:?"),
    ],
)
def test_an_unknown_kind_of_reference_is_refused(tmp_path: Path, cell: str, said: str) -> None:
    (error,) = read_roster(roster(tmp_path, f"J,jdoe1234,{cell},")).errors
    assert error.field == "password" and said in error.message and "literal:" in error.message


def test_literal_forces_a_password_that_starts_like_a_reference(tmp_path: Path) -> None:
    parsed = read_roster(roster(tmp_path, "J,jdoe1234,literal:vault:Summer-2026,", "A,asmith2001,Summer:2026,"))
    assert [secret(a.password) for a in parsed.accounts] == ["vault:Summer-2026", "Summer:2026"]


def test_env_references_work_in_every_secret_column(tmp_path: Path) -> None:
    env = {"PW": "Env-Passw0rd-1", "OTP": OTP_B, "CM": "Env-Cmecf-1"}
    path = roster(
        tmp_path,
        "J,jdoe1234,env:PW,env:OTP,jdoe,env:CM",
        header="name,username,password,otp_secret,cmecf_username,cmecf_password",
    )
    (account,) = read_roster(path, env=env).accounts
    assert (secret(account.password), secret(account.otp_secret), secret(account.cmecf_password)) == (
        "Env-Passw0rd-1",
        OTP_B,
        "Env-Cmecf-1",
    )


# --- KeePass -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kdbx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One database for the module: deriving a KDBX 4 key (Argon2) is meant to be slow."""
    folder = tmp_path_factory.mktemp("kdbx")
    keyfile = make_keyfile(folder / "firm.keyx")
    path = make_kdbx(
        folder / "firm.kdbx",
        [
            {
                "title": "PACER",
                "username": "jdoe1234",
                "password": "Kp-Passw0rd-1",
                "otp": f"otpauth://totp/PACER:jdoe1234?secret={OTP_A}&issuer=PACER",
            },
            {"title": "PACER (old)", "username": "asmith2001", "password": "Kp-Old-1", "url": "https://example.com"},
            {
                "title": "PACER",
                "username": "asmith2001",
                "password": "Kp-Passw0rd-2",
                "url": "https://pacer.uscourts.gov/",
            },
            {"title": "PACER", "username": "twice2020", "password": "Kp-Twice-1"},
            {"title": "PACER old", "username": "twice2020", "password": "Kp-Twice-2"},
            {"title": "Court login", "group": "Courts", "username": "jdoe", "password": "Kp-Cmecf-1"},
            {
                "title": "KeePass 2 style",
                "username": "kp2user01",
                "password": "Kp-Passw0rd-3",
                "TimeOtp-Secret-Base32": OTP_B,
            },
            {"title": "Deleted", "username": "gone2019", "password": "Kp-Gone-1", "trashed": "1"},
        ],
        keyfile=keyfile,
    )
    return path, keyfile


@pytest.fixture(scope="module")
def opened(kdbx: tuple[Path, Path]) -> KeePassSource:
    path, keyfile = kdbx
    return KeePassSource.open(path, SecretStr(KEEPASS_PASSWORD), keyfile)


def test_keepass_entries_by_username_path_and_their_totp(tmp_path: Path, opened: KeePassSource) -> None:
    source = opened
    parsed = read_roster(
        roster(
            tmp_path,
            "J,jdoe1234,keepass:,,jdoe,keepass:Courts/Court login",
            "A,asmith2001,keepass:,,,",
            "K,kp2user01,keepass:,keepass:,,",
            header="name,username,password,otp_secret,cmecf_username,cmecf_password",
        ),
        secrets=SecretSources(env={}, keepass=source),
    )
    assert parsed.errors == []
    jdoe, asmith, kp2 = parsed.accounts
    # The entry's otpauth:// link became the row's otp_secret (the row gave none).
    assert secret(jdoe.password) == "Kp-Passw0rd-1" and secret(jdoe.otp_secret) == OTP_A
    assert secret(jdoe.cmecf_password) == "Kp-Cmecf-1"
    # Two entries for asmith2001: the one on uscourts.gov.
    assert secret(asmith.password) == "Kp-Passw0rd-2" and asmith.otp_secret is None
    assert secret(kp2.otp_secret) == normalize_secret(OTP_B)


def test_keepass_ambiguity_absence_and_the_recycle_bin_are_row_errors(tmp_path: Path, opened: KeePassSource) -> None:
    source = opened
    parsed = read_roster(
        roster(
            tmp_path,
            "T,twice2020,keepass:,",
            "G,gone2019,keepass:,",
            "A,asmith2001,keepass:,keepass:",
            "J,jdoe1234,keepass:Nowhere/PACER,",
            "L,later2021,keepass:,",
        ),
        secrets=SecretSources(env={}, keepass=source),
    )
    assert [e.describe() for e in parsed.errors] == [
        "row 1 (line 2), field 'password': KeePass: 2 entries for twice2020: 'PACER', 'PACER old'",
        "row 2 (line 3), field 'password': KeePass: no entry for gone2019 in firm.kdbx",
        "row 3 (line 4), field 'otp_secret': KeePass entry 'PACER' has no TOTP "
        "(an otp attribute, TimeOtp-Secret-Base32 or TOTP Seed)",
        "row 4 (line 5), field 'password': KeePass: no entry at Nowhere/PACER in firm.kdbx",
        "row 5 (line 6), field 'password': KeePass: no entry for later2021 in firm.kdbx",
    ]
    assert parsed.accounts == []


def test_keepass_reference_without_a_database_says_what_is_missing(tmp_path: Path) -> None:
    (error,) = read_roster(roster(tmp_path, "J,jdoe1234,keepass:,")).errors
    assert error.message == "a keepass: reference needs the database: --keepass FILE.kdbx"


def test_keepass_wrong_master_password_or_missing_keyfile_is_a_usage_error(kdbx: tuple[Path, Path]) -> None:
    path, keyfile = kdbx
    with pytest.raises(UsageError, match="wrong master password or key file"):
        KeePassSource.open(path, SecretStr("not-it"), keyfile)
    with pytest.raises(UsageError, match="wrong master password or key file"):
        KeePassSource.open(path, SecretStr(KEEPASS_PASSWORD), None)


def test_keepass_is_opened_once_for_the_whole_roster(
    tmp_path: Path, kdbx: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pykeepass

    opened: list[str] = []
    real = pykeepass.PyKeePass

    def counting(*args: object, **kwargs: object) -> object:
        opened.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(pykeepass, "PyKeePass", counting)
    path, keyfile = kdbx
    source = KeePassSource.open(path, SecretStr(KEEPASS_PASSWORD), keyfile)
    rows = [f"R{i},jdoe1234,keepass:," for i in range(5)]
    read_roster(roster(tmp_path, *rows), secrets=SecretSources(env={}, keepass=source))
    assert opened == [str(path)]


# --- 1Password's CLI ---------------------------------------------------------------------------------


def test_op_references_through_op_read(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "")}
    calls = install_fake_op(tmp_path, {"op://Firm/PACER jdoe/password": "Op-Passw0rd-1"}, env)
    parsed = read_roster(
        roster(
            tmp_path,
            "J,jdoe1234,op://Firm/PACER jdoe/password,",
            "K,jdoe1234,op://Firm/PACER jdoe/password,",
            "A,asmith2001,op://Firm/PACER asmith/password,",
        ),
        env=env,
    )
    assert [secret(a.password) for a in parsed.accounts] == ["Op-Passw0rd-1", "Op-Passw0rd-1"]
    (error,) = parsed.errors
    assert error.describe() == (
        "row 3 (line 4), field 'password': 1Password: `op read` failed (exit 1): could not read secret "
        "'op://Firm/PACER asmith/password': could not find item PACER asmith in vault Firm"
    )
    # The shared reference was read once.
    assert calls.read_text().splitlines() == [
        "read op://Firm/PACER jdoe/password",
        "read op://Firm/PACER asmith/password",
    ]


def test_op_signed_out_and_op_missing_are_said(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "FAKE_OP_SIGNED_OUT": "1"}
    install_fake_op(tmp_path, {}, env)
    (error,) = read_roster(roster(tmp_path, "J,jdoe1234,op://Firm/PACER/password,"), env=env).errors
    assert "You are not currently signed in" in error.message
    (error,) = read_roster(roster(tmp_path, "J,jdoe1234,op://Firm/PACER/password,"), env={"PATH": str(tmp_path)}).errors
    assert "`op` is not on PATH" in error.message


# --- the template ------------------------------------------------------------------------------------


def test_the_template_explains_every_column_and_reads_back_as_an_empty_roster(tmp_path: Path) -> None:
    text = template_text()
    for column in KNOWN:
        assert f"# {column}: " in text
    assert "keyring:" in text and "keepass:" in text
    path = tmp_path / "roster.csv"
    path.write_text(text)
    path.chmod(0o600)
    parsed = read_roster(path)
    assert parsed.accounts == [] and parsed.errors == [] and parsed.warnings == []
    # With the first example's # removed, that row is an attorney.
    path.write_text(text.replace("# example: Jane", "Jane"))
    assert [
        a.username
        for a in read_roster(
            path,
            secrets=SecretSources(
                env={}, keyring_lookup=lambda service, key: OTP_A if key.endswith(":otp") else "Kr-1"
            ),
        ).accounts
    ] == ["jdoe1234"]


def test_an_op_reference_must_be_an_op_url(tmp_path: Path) -> None:
    (error,) = read_roster(roster(tmp_path, "J,jdoe1234,op:Legal/PACER,"), env={"PATH": str(tmp_path)}).errors
    assert error.message == "a 1Password reference is written op://vault/item/field"


def test_comment_lines_are_skipped_before_the_header_and_between_attorneys(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "# firm roster; kept by IT, semicolons; commas, all in a comment\n"
        "name;username;password\n"
        "# the partners\n"
        "A;aaaa1234;literal:Pw-1\n"
        "  # an indented comment\n"
        "B;bbbb1234;literal:Pw-2\n"
    )
    path.chmod(0o600)
    parsed = read_roster(path)
    assert [(a.row, a.username) for a in parsed.accounts] == [(1, "aaaa1234"), (2, "bbbb1234")]
    assert parsed.errors == [] and parsed.warnings == []
