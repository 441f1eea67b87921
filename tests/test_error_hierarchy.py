"""One error hierarchy: every exception class pacer-verify defines hangs from one root, is drawn in
verifier/errors.py's docstring, and has its exit code in one table; what a user sees stays the same."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import flows
import verifier
from verifier import errors
from verifier.errors import ENDINGS, ExitCode, PacerVerifyError, exit_for


def _modules(package: ModuleType) -> list[ModuleType]:
    names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    # __main__ runs the command line when imported.
    return [importlib.import_module(name) for name in names if not name.endswith("__main__")]


def _exception_classes() -> list[type[BaseException]]:
    found: dict[type[BaseException], None] = {}
    for module in _modules(verifier) + _modules(flows):
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.__name__:
                found[value] = None
    return list(found)


def test_every_exception_class_derives_from_the_root_and_has_its_ending() -> None:
    classes = _exception_classes()
    assert len(classes) >= 20  # the walk found the modules
    assert [c.__qualname__ for c in classes if not issubclass(c, PacerVerifyError)] == []
    assert [c.__qualname__ for c in classes if c not in ENDINGS] == []


def test_the_docstring_draws_every_class_in_the_table() -> None:
    drawing = errors.__doc__ or ""
    assert [c.__name__ for c in ENDINGS if c.__name__ not in drawing] == []


def test_each_error_keeps_the_exit_code_and_line_a_user_saw() -> None:
    from verifier.errors import (
        BrowserNotFound,
        ChangesError,
        FolderBusy,
        OutputError,
        ReportError,
        RosterError,
        SiteUnreachable,
        UnsafeBaseUrl,
        UsageError,
    )

    for usage in (UsageError, RosterError, ChangesError, ReportError, FolderBusy, UnsafeBaseUrl):
        assert exit_for(usage("roster.csv: not a roster")) == (ExitCode.USAGE, "roster.csv: not a roster")
    for incomplete in (BrowserNotFound, SiteUnreachable, OutputError):
        assert exit_for(incomplete("no browser")) == (ExitCode.INCOMPLETE, "no browser")
    assert FolderBusy("busy").exit_code == ExitCode.USAGE
    assert OutputError("disk full").exit_code == ExitCode.INCOMPLETE


@pytest.mark.parametrize(
    "raised",
    [
        "flows.errors:TransientSiteError",
        "flows.errors:SignInUnanswered",
        "flows.otp:BadOtpSecret",
        "verifier.roster.secret_refs:SecretRefError",
        "verifier.run.signin_gate:RunStopped",
    ],
)
def test_an_error_meant_to_be_caught_where_raised_is_an_internal_error_at_the_end(raised: str) -> None:
    module, name = raised.split(":")
    error_class = getattr(importlib.import_module(module), name)  # the old homes still import
    code, line = exit_for(error_class("the site went away"))
    assert code is ExitCode.INCOMPLETE
    assert line == f"internal error: {name}: the site went away (set PACER_VERIFY_DEBUG=1 for the traceback)"


def test_values_errors_stay_value_errors_where_callers_catch_them() -> None:
    from flows.otp import BadOtpSecret, normalize_secret
    from verifier.check.site import SiteMap, UnsafeBaseUrl

    with pytest.raises(ValueError):
        normalize_secret("not base32 !!")
    with pytest.raises(ValueError):
        SiteMap.for_base_url("http://example.com")
    assert issubclass(BadOtpSecret, ValueError) and issubclass(UnsafeBaseUrl, ValueError)
