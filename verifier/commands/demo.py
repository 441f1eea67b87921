"""`pacer-verify demo`: the whole job against the bundled mock PACER site, no credentials needed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from verifier.commands import options
from verifier.commands.bulk import execute, print_outcome
from verifier.config import load_settings
from verifier.data import DEMO_ROSTER, copy_private
from verifier.errors import ExitCode
from verifier.mock.scenario import court_registry, load_default_scenario
from verifier.reports.terminal import unwrapped
from verifier.run.bulk import BulkPlan
from verifier.text import shown


def demo_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Folder for the demo's results and reports.", parser=options.output_path
        ),
    ] = Path("pacer-verify-demo"),
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            metavar="FILE",
            help="Roster to check against the mock.",
            show_default="a copy of the sample roster, in DIR",
        ),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-c",
            min=1,
            max=64,
            metavar="N",
            help="Accounts checked at once.",
            show_default="2 per core",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Start the bundled mock PACER site on a free loopback port and check the sample roster
    (every status pacer-verify can report), writing all reports to --out.

    Exits 0 when the demo ran (the sample roster's attorneys who need action are the point of
    it, not a failure), 3 when it could not complete.
    """
    from verifier.mock.server import MockServer  # uvicorn and Starlette: only when the mock is wanted

    # A private copy beside the results: the installed file is world-readable, and the user can
    # pass the copy to `pacer-verify bulk` afterwards.
    roster_path = roster or copy_private(DEMO_ROSTER, out / DEMO_ROSTER.name)
    scenario = load_default_scenario()
    with MockServer(scenario) as server:
        console = unwrapped(Console())
        # A path is never wrapped (soft wrap: a terminal folds a long line itself, a copy keeps it whole).
        console.print(Text.assemble("Mock PACER site at ", (server.url, "bold"), " (loopback only)"))
        console.print(Text(f"roster: {shown(str(roster_path))}"), soft_wrap=True)
        # The mock is ours: no politeness limit is owed to it.
        settings = load_settings(env_file=None, base_url=server.url, rate_per_minute=0, concurrency=concurrency)
        # The mock's own courts (a CurrentGen one among them) over the real registry.
        plan = BulkPlan(roster=roster_path, out_dir=out, courts=court_registry(scenario))
        outcome = execute(settings, plan, quiet=quiet)
        print_outcome(outcome, plan, json_output=False)
        html = outcome.reports.get("html")
        if html:
            console.print(
                Text.assemble("\nOpen the HTML report: ", (shown(str(html.resolve())), "bold")), soft_wrap=True
            )
    raise typer.Exit(int(ExitCode.INCOMPLETE if outcome.exit_code is ExitCode.INCOMPLETE else ExitCode.READY))
