"""A roster with no secret in it, run for real: `secrets check` and `bulk` against the mock with
passwords and authenticator secrets in the system keyring (the tests' own backend, chosen by
PYTHON_KEYRING_BACKEND in the subprocess) and in a KeePass database; `check` with PACER_PASSWORD as
a reference. Rows whose reference fails never sign in; no secret lands in any output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli
from secret_spellings import every_byte, leaks
from secret_stores import KEEPASS_PASSWORD, make_kdbx, make_keyfile, use_test_keyring

from verifier.mock.scenario import MockAccount, MockScenario
from verifier.mock.server import MockServer

ROSTER = """\
# a roster with no secret in it
name,username,password,otp_secret,courts,cmecf_username,cmecf_password
Alice Smith,asmith2001,keyring:,,cod,asmith,keyring:
Carmen Wong,cwong2003,keyring:,keyring:,,,
Brian Jones,bjones2002,keepass:,,,,
Grace Nguyen,gnguyen2007,keepass:Attorneys/Grace Nguyen,,,,
Dev Patel,dpatel2004,keyring:,,,,
Elena Garcia,egarcia2005,vault:secret/pacer/egarcia2005,,,,
Frank Kim,fkim2006,keepass:,,,,
"""
FAILING = {"dpatel2004", "egarcia2005", "fkim2006"}


def account(server: MockServer, username: str) -> MockAccount:
    return next(a for a in server.scenario.accounts if a.username == username)


@pytest.fixture(scope="module")
def firm_kdbx(pacer_mock_scenario: MockScenario, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """ROSTER's KeePass database and its key file, made once for the module (the tests only read them):
    creating a KDBX 4 file derives its key with Argon2, which is slow by design."""
    folder = tmp_path_factory.mktemp("keepass")
    by_name = {a.username: a for a in pacer_mock_scenario.accounts}
    bjones, grace, fkim = (by_name[u] for u in ("bjones2002", "gnguyen2007", "fkim2006"))
    keyfile = make_keyfile(folder / "firm.keyx")
    make_kdbx(
        folder / "firm.kdbx",
        [
            {
                "title": "PACER",
                "username": "bjones2002",
                "password": bjones.password,
                "url": "https://pacer.uscourts.gov",
            },
            {
                "title": "PACER (stale)",
                "username": "bjones2002",
                "password": "Stale-Copy-1",
                "url": "https://example.org",
            },
            {
                "title": "Grace Nguyen",
                "group": "Attorneys",
                "username": "gnguyen2007",
                "password": grace.password,
                "otp": f"otpauth://totp/PACER:gnguyen2007?secret={grace.otp_secret}&issuer=PACER",
            },
            {"title": "PACER fkim", "username": "fkim2006", "password": fkim.password},
            {"title": "PACER fkim old", "username": "fkim2006", "password": "Stale-Copy-2"},
        ],
        keyfile=keyfile,
    )
    return folder / "firm.kdbx", keyfile


@pytest.fixture
def stores(
    pacer_mock: MockServer, firm_kdbx: tuple[Path, Path], cli_env: dict[str, str], tmp_path: Path
) -> tuple[list[str], set[str]]:
    """The keyring and KeePass database for ROSTER; returns the --keepass arguments and every secret."""
    asmith, cwong = account(pacer_mock, "asmith2001"), account(pacer_mock, "cwong2003")
    bjones, grace, fkim = (account(pacer_mock, u) for u in ("bjones2002", "gnguyen2007", "fkim2006"))
    assert cwong.otp_secret and grace.otp_secret  # the MFA accounts of this test
    use_test_keyring(
        cli_env,
        tmp_path / "keyring.json",
        {
            "pacer-verify": {
                "asmith2001": asmith.password,
                "asmith2001:cmecf": asmith.cmecf["cod"].password,
                "cwong2003": cwong.password,
                "cwong2003:otp": cwong.otp_secret,
            }
        },
    )
    kdbx, keyfile = firm_kdbx
    cli_env["PACER_VERIFY_KEEPASS_PASSWORD"] = KEEPASS_PASSWORD
    secrets = {KEEPASS_PASSWORD, "Stale-Copy-1", "Stale-Copy-2", asmith.cmecf["cod"].password}
    for user in (asmith, cwong, bjones, grace, fkim):
        secrets |= {user.password, *(filter(None, [user.otp_secret]))}
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    roster.chmod(0o600)
    return ["--keepass", str(kdbx), "--keepass-keyfile", str(keyfile)], secrets


def test_secrets_check_names_each_unresolvable_row_and_signs_in_nowhere(
    pacer_mock: MockServer, stores: tuple[list[str], set[str]], cli_env: dict[str, str], tmp_path: Path
) -> None:
    keepass, secrets = stores
    cli_env["COLUMNS"] = "80"
    narrow = run_cli("secrets", "check", "roster.csv", *keepass, env=cli_env, cwd=tmp_path)
    assert narrow.returncode == 1, narrow.stderr
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    cli_env["COLUMNS"] = "250"  # each reason on one line, to read it whole
    done = run_cli("secrets", "check", "roster.csv", *keepass, env=cli_env, cwd=tmp_path)
    text = " ".join(" ".join(line.replace("│", " ").split()) for line in done.stdout.splitlines())
    assert "no keyring entry for service pacer-verify, key dpatel2004" in text
    assert "'vault:' is not a kind of reference pacer-verify knows" in text
    assert "KeePass: 2 entries for fkim2006: 'PACER fkim', 'PACER fkim old'" in text
    assert "keyring service pacer-verify, key asmith2001:cmecf" in text
    assert "KeePass entry 'Grace Nguyen' (TOTP)" in text  # the row's otp_secret, from the entry
    assert "7 row(s), 10 secret(s): 7 resolved, 3 failed" in text
    assert not leaks(every_byte(tmp_path / "nothing", [done.stdout, done.stderr, narrow.stdout]), secrets)
    stats = pacer_mock.stats()
    assert stats["login_posts"] == {} and stats["api_login_posts"] == {}


def test_secrets_check_without_a_master_password_and_no_terminal_is_one_clear_error(
    stores: tuple[list[str], set[str]], cli_env: dict[str, str], tmp_path: Path
) -> None:
    keepass, _ = stores
    del cli_env["PACER_VERIFY_KEEPASS_PASSWORD"]
    done = run_cli("secrets", "check", "roster.csv", *keepass[:2], env=cli_env, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("pacer-verify: error: ") and line.endswith(
        "--keepass: no master password: set PACER_VERIFY_KEEPASS_PASSWORD (or run at a terminal to be prompted)."
    )


def test_bulk_with_no_plaintext_secret_checks_mfa_and_plain_accounts(
    pacer_mock: MockServer, stores: tuple[list[str], set[str]], cli_env: dict[str, str], tmp_path: Path
) -> None:
    keepass, secrets = stores
    cli_env["PACER_VERIFY_LOG_LEVEL"] = "DEBUG"
    out = tmp_path / "out"
    base = ["--base-url", pacer_mock.url, "--rate", "0", "--retries", "0", "--out", str(out), "--json"]
    done = run_cli("bulk", "roster.csv", *base, *keepass, env=cli_env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    results = {r["username"]: r for r in json.loads(done.stdout)["results"]}
    assert {u: r["status"] for u, r in results.items()} == {
        "asmith2001": "upgraded",
        "cwong2003": "upgraded",  # MFA: password and authenticator secret from the keyring
        "bjones2002": "upgraded",  # KeePass: the entry on uscourts.gov of two
        "gnguyen2007": "legacy",  # MFA: the KeePass entry's otp attribute
        "dpatel2004": "invalid_input",
        "egarcia2005": "invalid_input",
        "fkim2006": "invalid_input",
    }
    assert "no keyring entry for service pacer-verify, key dpatel2004" in results["dpatel2004"]["message"]
    assert "KeePass: 2 entries for fkim2006" in results["fkim2006"]["message"]
    stats = pacer_mock.stats()
    signed_in = {**stats["login_posts"], **stats["api_login_posts"]}
    for username in FAILING:
        assert signed_in.get(username, 0) == 0, username
    for username in ("asmith2001", "cwong2003", "bjones2002", "gnguyen2007"):
        assert signed_in.get(username) == 1, username
    assert not leaks(every_byte(out, [done.stdout, done.stderr]), secrets)


def test_check_takes_references_in_pacer_password_and_otp_secret(
    pacer_mock: MockServer, stores: tuple[list[str], set[str]], cli_env: dict[str, str], tmp_path: Path
) -> None:
    keepass, secrets = stores
    cli_env["PACER_PASSWORD"] = "keyring:"
    cli_env["PACER_OTP_SECRET"] = "keyring:"
    done = run_cli("check", "-u", "cwong2003", "--base-url", pacer_mock.url, "--json", env=cli_env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "upgraded"
    cli_env["PACER_PASSWORD"] = "keepass:"
    del cli_env["PACER_OTP_SECRET"]
    done2 = run_cli(
        "check", "-u", "gnguyen2007", "--base-url", pacer_mock.url, "--json", *keepass, env=cli_env, cwd=tmp_path
    )
    assert json.loads(done2.stdout)["status"] == "legacy", done2.stderr
    cli_env["PACER_PASSWORD"] = "keyring:"
    done3 = run_cli("check", "-u", "dpatel2004", "--base-url", pacer_mock.url, env=cli_env, cwd=tmp_path)
    assert done3.returncode == 2
    assert done3.stderr.strip().endswith("PACER_PASSWORD: no keyring entry for service pacer-verify, key dpatel2004.")
    signed_in = {**pacer_mock.stats()["login_posts"], **pacer_mock.stats()["api_login_posts"]}
    assert signed_in == {"cwong2003": 1, "gnguyen2007": 1}
    assert not leaks(
        every_byte(tmp_path / "nothing", [done.stdout, done.stderr, done2.stdout, done2.stderr, done3.stderr]), secrets
    )


def test_roster_template_writes_a_private_file_and_never_overwrites(cli_env: dict[str, str], tmp_path: Path) -> None:
    printed = run_cli("roster", "template", env=cli_env, cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.splitlines()[0].startswith("# pacer-verify roster")
    written = run_cli("roster", "template", "-o", "roster.csv", env=cli_env, cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "roster.csv").read_text() == printed.stdout
    assert (tmp_path / "roster.csv").stat().st_mode & 0o777 == 0o600
    again = run_cli("roster", "template", "-o", "roster.csv", env=cli_env, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    checked = run_cli("secrets", "check", "roster.csv", env=cli_env, cwd=tmp_path)
    assert checked.returncode == 0 and "0 row(s)" in checked.stdout, checked.stderr
