"""`pacer-verify serve`: a page where attorneys check their own PACER accounts; IT never holds a password."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from verifier.commands import options

if TYPE_CHECKING:
    from rich.console import Console

    from verifier.config import Settings
    from verifier.readiness.courts import CourtRegistry
    from verifier.serve.app import ServeConfig
    from verifier.serve.launch import Listen
    from verifier.serve.people import People


def serve_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder for results.jsonl (as `bulk` writes it), links.csv and the link key.",
            metavar="DIR",
            rich_help_panel=options.OUTPUTS,
        ),
    ] = Path("pacer-verify-serve"),
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="Roster of the attorneys expected (name, username, courts, email; no password needed, any given "
            "is ignored): each gets a personal link, and IT's view lists who has not checked yet.",
            show_default=False,
            metavar="FILE",
            rich_help_panel="Serving",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; other than loopback needs --certfile/--keyfile.",
            metavar="HOST",
            rich_help_panel="Serving",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option("--port", min=1, max=65535, help="Port to listen on.", metavar="PORT", rich_help_panel="Serving"),
    ] = 8080,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The address attorneys open (e.g. https://pacer-check.firm.example), for personal links. "
            "[default: the listening address]",
            show_default=False,
            metavar="URL",
            rich_help_panel="Serving",
        ),
    ] = None,
    certfile: Annotated[
        Path | None,
        typer.Option(
            "--certfile",
            help="TLS certificate (PEM) to serve HTTPS.",
            show_default=False,
            metavar="FILE",
            rich_help_panel="Serving",
        ),
    ] = None,
    keyfile: Annotated[
        Path | None,
        typer.Option(
            "--keyfile",
            help="TLS private key (PEM) to serve HTTPS.",
            show_default=False,
            metavar="FILE",
            rich_help_panel="Serving",
        ),
    ] = None,
    insecure_http: Annotated[
        bool,
        typer.Option(
            "--insecure-http",
            help="Serve plain HTTP on a non-loopback --host (only behind a TLS reverse proxy on this machine).",
            rich_help_panel="Serving",
        ),
    ] = False,
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="Write OUT/links.csv (one personal link per roster row), print it and exit.",
            rich_help_panel="Serving",
        ),
    ] = False,
    link_days: Annotated[
        int,
        typer.Option(
            "--link-days", min=1, max=365, help="Days a personal link works.", metavar="DAYS", rich_help_panel="Serving"
        ),
    ] = 14,
    firm: Annotated[
        str,
        typer.Option("--firm", help="The firm's name, shown on the pages.", metavar="NAME", rich_help_panel="Serving"),
    ] = "Your firm",
    max_waiting: Annotated[
        int,
        typer.Option(
            "--max-waiting",
            min=1,
            max=1000,
            help="Checks that may wait for a free slot.",
            metavar="N",
            rich_help_panel=options.POLITENESS,
        ),
    ] = 20,
    per_address: Annotated[
        int,
        typer.Option(
            "--limit-per-address",
            min=1,
            max=10000,
            help="Check requests per client address per 10 minutes.",
            metavar="N",
            rich_help_panel=options.POLITENESS,
        ),
    ] = 10,
    shared_outputs: options.SharedOutputs = None,
    base_url: options.BaseUrl = None,
    browser_path: options.BrowserPath = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-c",
            min=1,
            max=64,
            metavar="N",  # as `bulk` writes it
            help="Checks at once. [default: 2]",
            show_default=False,
            rich_help_panel=options.POLITENESS,
        ),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate",
            min=0,
            metavar="N",
            help="Most sign-ins per minute, all attorneys together. [default: 30]",
            rich_help_panel=options.POLITENESS,
        ),
    ] = None,
    timeout: options.Timeout = None,
    sign_in: options.SignIn = None,
    courts_file: options.CourtsFile = None,
    court_checks: options.CheckCourts = None,
    as_of: options.AsOf = None,
) -> None:
    """Serve a page where each attorney checks their own PACER account (IT never holds a password).

    Results go to OUT/results.jsonl exactly as `bulk` writes them, so `report`, `notices` and --since
    work on them; /admin shows IT the live report (token: PACER_VERIFY_ADMIN_TOKEN, or printed at
    start). Listens on 127.0.0.1 unless --host says otherwise (then TLS, or --insecure-http).
    Ctrl-C stops it.
    """
    from rich.console import Console

    from verifier import outputs
    from verifier.commands.common import reachable_site, site_for
    from verifier.serve import launch
    from verifier.serve import links as personal_links

    listen = launch.Listen(host, port, certfile, keyfile, insecure_http)
    launch.check_listen(listen)
    as_of_day = options.as_of_date(as_of)
    settings = _settings(base_url, browser_path, timeout, concurrency, rate, court_checks, shared_outputs, sign_in)
    courts, people = _courts_and_people(roster, links, out, courts_file)
    console = Console(stderr=True)
    address = (public_url or listen.url).rstrip("/")
    if links:
        _print_links(console, out, people, address, link_days)
        return

    from verifier.serve.app import Limits, ServeConfig

    site = reachable_site(site_for(settings))  # the one SiteMap of the server's life
    token, generated = launch.admin_token()
    outputs.ensure_dir(out)
    config = ServeConfig(
        settings=settings,
        out_dir=out,
        people=people,
        courts=courts,
        admin_token=token,
        link_key=personal_links.load_key(out),
        secret_key=secrets.token_bytes(32),
        roster_name=roster.name if roster else "",
        firm=firm,
        tls=listen.tls,
        max_waiting=max_waiting,
        limits=Limits(per_address=per_address),
        as_of=as_of_day,
        site=site,
    )
    if people.people:
        _write_links_for_notices(out, people, address, link_days)
    _announce(console, listen, address, out, token if generated else None)
    from verifier.store import run_lock

    with run_lock.hold(out):  # one writer of OUT/results.jsonl at a time: this server, or a bulk run
        _run(config, listen)


def _settings(
    base_url: str | None,
    browser_path: Path | None,
    timeout: float | None,
    concurrency: int | None,
    rate: float | None,
    court_checks: bool | None,
    shared_outputs: bool | None,
    sign_in: str | None,
) -> Settings:
    from verifier.config import load_settings

    return load_settings(
        base_url=base_url,
        browser_path=browser_path,
        timeout_s=timeout,
        concurrency=concurrency if concurrency is not None else 2,
        rate_per_minute=rate,
        retries=None,
        trace="off",  # a trace would hold the pages an attorney's session saw: never in serve
        check_courts=court_checks,
        shared_outputs=shared_outputs,
        sign_in=sign_in,
    )


def _courts_and_people(
    roster: Path | None, links: bool, out: Path, courts_file: Path | None
) -> tuple[CourtRegistry, People]:
    """The court registry and the roster's people (their warnings on standard error), once --roster,
    --links and --out are usable."""
    from verifier import outputs
    from verifier.errors import UsageError
    from verifier.readiness.courts import load_courts
    from verifier.serve.people import read_people

    if roster is not None and not roster.is_file():
        raise UsageError(f"--roster {roster}: no such file")
    if links and roster is None:
        raise UsageError("--links needs --roster: the links are one per roster row")
    outputs.check_writable_dir(out)
    courts = load_courts(courts_file)
    people = read_people(roster, courts)
    for warning in people.warnings:
        typer.secho(f"pacer-verify: warning: {warning}", err=True, fg=typer.colors.YELLOW)
    return courts, people


def _print_links(console: Console, out: Path, people: People, address: str, link_days: int) -> None:
    """`serve --links`: one personal link per usable roster row, on standard output, and the file."""
    from verifier.serve import links as personal_links

    path, made = personal_links.write_links(out, people, address, link_days, dt.datetime.now(dt.UTC))
    for link in made:
        typer.echo(f"{link.person.display_name}\t{link.person.username}\t{link.url(address)}")
    console.print(
        f"{len(made)} personal link(s), valid until {made[0].expires:%Y-%m-%d} UTC, in {path}"
        if made
        else "no usable roster rows"
    )


def _write_links_for_notices(out: Path, people: People, address: str, link_days: int) -> None:
    from verifier.serve import links as personal_links

    path, _ = personal_links.write_links(out, people, address, link_days, dt.datetime.now(dt.UTC))
    typer.echo(f"personal links ({len(people.people)}): {path} (`pacer-verify notices` uses them)", err=True)


def _announce(console: Console, listen: Listen, address: str, out: Path, generated_token: str | None) -> None:
    """Where the pages are, and (when pacer-verify made it up) the admin token, on standard error."""
    from verifier.serve import launch

    if listen.insecure_http and not launch.is_loopback(listen.host):
        console.print(
            f"[bold red]WARNING: serving plain HTTP on {listen.host}: passwords cross the network unencrypted "
            "unless a TLS reverse proxy on this machine is the only way in.[/]"
        )
    typer.echo(f"attorneys' page: {address}/", err=True)
    typer.echo(f"IT's view: {address}/admin", err=True)
    if generated_token:
        typer.echo(f"admin token (set {launch.ADMIN_TOKEN_ENV} to choose one): {generated_token}", err=True)
    typer.echo(f"results: {out / 'results.jsonl'}; Ctrl-C stops", err=True)


def _run(config: ServeConfig, listen: Listen) -> None:
    import uvicorn

    from verifier.serve.app import create_app

    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host=listen.host,
            port=listen.port,
            ssl_certfile=str(listen.certfile) if listen.certfile else None,
            ssl_keyfile=str(listen.keyfile) if listen.keyfile else None,
            log_level="warning",
            access_log=False,  # request lines carry personal links
            lifespan="on",
            timeout_graceful_shutdown=5,
            server_header=False,
        )
    )
    server.run()
    if not server.started:
        from verifier.errors import CommandError

        raise CommandError(f"serve could not start on {listen.url} (see the message above)")
