"""`pacer-verify serve`: a page where attorneys check their own PACER accounts; IT never holds a password."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from verifier.commands import options, ports

if TYPE_CHECKING:
    from verifier.config import Settings
    from verifier.readiness.courts import CourtRegistry
    from verifier.serve.app import ServeConfig
    from verifier.serve.launch import Listen
    from verifier.serve.listener import Timeouts
    from verifier.serve.people import People


@options.with_settings(
    *("base_url", "sign_in", "court_checks"),
    *("browser_path", "browser_channel"),
    *("rate", "timeout", "account_timeout"),
    "shared_outputs",
)
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
            "is ignored): each gets a personal link, the only way in (the page without one signs in nobody), "
            "and IT's view lists who has not checked yet. Without it the page checks any username for anyone "
            "who reaches it: for loopback or a tightly held network only.",
            show_default=False,
            metavar="FILE",
            rich_help_panel="Serving",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; other than loopback needs --certfile/--keyfile (or --insecure-http), "
            "and every address (0.0.0.0) needs --public-url.",
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
            help="The address attorneys open (e.g. https://pacer-check.firm.example): personal links use it, only "
            "its host (or the listening address) is answered, forms are taken only from it, and an https one makes "
            "cookies Secure and sends HSTS (a TLS proxy in front). [default: the listening address]",
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
            help="Allow plain HTTP on a non-loopback --host (only behind a TLS reverse proxy on this machine); "
            "without --host it still listens on 127.0.0.1 only.",
            rich_help_panel="Serving",
        ),
    ] = False,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="The reverse proxy's address (repeatable): only requests from it have their X-Forwarded-For "
            "read, for the per-address limits. [default: none; every address is the socket's]",
            show_default=False,
            metavar="IP",
            rich_help_panel="Serving",
        ),
    ] = None,
    contact: Annotated[
        str,
        typer.Option(
            "--contact",
            help='Whom attorneys ask for a link or help, shown on the pages (e.g. "the IT help desk, ext. 4357").',
            metavar="TEXT",
            rich_help_panel="Serving",
        ),
    ] = "your firm's IT",
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
    flags: options.SettingsFlags = options.NONE_GIVEN,
    courts_file: options.CourtsFile = None,
    as_of: options.AsOf = None,
    headers_timeout: Annotated[float, typer.Option("--headers-timeout", min=0.1, hidden=True)] = 10.0,
    request_timeout: Annotated[float, typer.Option("--request-timeout", min=0.1, hidden=True)] = 30.0,
) -> None:
    """Serve a page where each attorney checks their own PACER account (IT never holds a password).

    With --roster, only the roster's attorneys can check, each through their personal link; without
    it, anyone who reaches the page can (keep it on loopback or a tightly held network). Results go to
    OUT/results.jsonl exactly as `bulk` writes them (a failed sign-in as an attempt beside the last
    reading), so `report`, `notices` and --since work on them; /admin shows IT the live report (token:
    PACER_VERIFY_ADMIN_TOKEN, 32+ characters, or one made up and shown once on the terminal). A username
    gets at most 2 failed sign-ins per 24 hours. Listens on 127.0.0.1 unless --host says otherwise (then
    TLS, or --insecure-http behind a TLS proxy). Ctrl-C stops it.
    """
    from verifier.commands.common import reachable_site, site_for
    from verifier.serve import launch
    from verifier.serve.listener import Timeouts
    from verifier.store import run_lock

    listen = launch.Listen(host, port, certfile, keyfile, insecure_http)
    launch.check_listen(listen, public_url)
    ports.require_free_port(host, port, any_port=False)  # its links name the port: no --port 0
    proxies = launch.trusted_proxies(trusted_proxy or [])
    as_of_day = options.as_of_date(as_of)
    token, generated = ("", False) if links else _admin_token()
    settings = _settings(flags, concurrency)
    courts, people = _courts_and_people(roster, links, out, courts_file)
    address = launch.address(listen, public_url)
    if links:
        with run_lock.hold(out):  # a folder another serve holds keeps its links.csv and key as they are
            _print_links(out, people, address.public_url, link_days)
        return

    from verifier.serve.app import Limits, ServeConfig

    site = reachable_site(site_for(settings))  # the one SiteMap of the server's life
    # Lock first: a serve refused the folder writes nothing in it (links, key, counters, results).
    with run_lock.hold(out):  # one writer of OUT/results.jsonl at a time: this server, or a bulk run
        config = ServeConfig(
            settings=settings,
            out_dir=out,
            people=people,
            courts=courts,
            admin_token=token,
            link_key=_link_key(out),
            secret_key=secrets.token_bytes(32),
            address=address,
            roster_only=roster is not None,
            roster_name=roster.name if roster else "",
            firm=firm,
            contact=contact,
            max_waiting=max_waiting,
            limits=Limits(per_address=per_address),
            as_of=as_of_day,
            site=site,
        )
        if people.people:
            _write_links_for_notices(out, people, address.public_url, link_days)
        _announce(listen, address.public_url, out, token if generated else None)
        _run(config, listen, proxies, Timeouts(headers_s=headers_timeout, request_s=request_timeout))


def _admin_token() -> tuple[str, bool]:
    """IT's token, checked before anything starts; one made up here is shown only on a terminal (a log
    file or a journal would keep it)."""
    import sys

    from verifier.errors import UsageError
    from verifier.serve import launch

    token, generated = launch.admin_token()
    if generated and not sys.stderr.isatty():
        raise UsageError(
            f"{launch.ADMIN_TOKEN_ENV} is not set, and standard error is not a terminal, where a token made up "
            "now would be shown once (never into a log): set it to a random value of 32+ characters"
        )
    return token, generated


def _link_key(out: Path) -> bytes:
    from verifier.serve import links as personal_links

    return personal_links.load_key(out)


def _settings(flags: options.SettingsFlags, concurrency: int | None) -> Settings:
    """The server's settings: the flags given, at most `concurrency` checks at once (2 unless given), and
    never a trace (it would hold the pages an attorney's session saw)."""
    return flags.load(concurrency=concurrency if concurrency is not None else 2, trace="off")


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


def _print_links(out: Path, people: People, address: str, link_days: int) -> None:
    """`serve --links`: one personal link per usable roster row, on standard output, and the file."""
    from verifier.serve import links as personal_links

    path, made = personal_links.write_links(out, people, address, link_days, dt.datetime.now(dt.UTC))
    for link in made:
        typer.echo(f"{link.person.display_name}\t{link.person.username}\t{link.url(address)}")
    typer.echo(
        f"{len(made)} personal link(s), valid until {made[0].expires:%Y-%m-%d} UTC, in {path}"
        if made
        else "no usable roster rows",
        err=True,
    )


def _write_links_for_notices(out: Path, people: People, address: str, link_days: int) -> None:
    from verifier.serve import links as personal_links

    path, _ = personal_links.write_links(out, people, address, link_days, dt.datetime.now(dt.UTC))
    typer.echo(f"personal links ({len(people.people)}): {path} (`pacer-verify notices` uses them)", err=True)


def _announce(listen: Listen, address: str, out: Path, generated_token: str | None) -> None:
    """Where the pages are, and (when pacer-verify made it up) the admin token, on standard error: only
    a terminal (verifier.commands.serve._admin_token), shown this once."""
    from rich.console import Console

    from verifier.serve import launch

    if listen.insecure_http and not launch.is_loopback(listen.host):
        Console(stderr=True).print(
            f"[bold red]WARNING: serving plain HTTP on {listen.host}: passwords cross the network unencrypted "
            "unless a TLS reverse proxy on this machine is the only way in.[/]"
        )
    typer.echo(f"attorneys' page: {address}/", err=True)
    typer.echo(f"IT's view: {address}/admin", err=True)
    if generated_token:
        # On a line of its own: copied whole from an 80-column terminal.
        typer.echo(f"admin token, shown this once (set {launch.ADMIN_TOKEN_ENV} to choose one):", err=True)
        typer.echo(f"  {generated_token}", err=True)
    typer.echo(f"results: {out / 'results.jsonl'}; Ctrl-C stops", err=True)


def _run(config: ServeConfig, listen: Listen, proxies: list[str], timeouts: Timeouts) -> None:
    import uvicorn

    from verifier.serve.app import create_app
    from verifier.serve.listener import server_config

    server = uvicorn.Server(server_config(create_app(config), listen, proxies, timeouts))
    server.run()
    if not server.started:
        from verifier.errors import CommandError

        raise CommandError(f"serve could not start on {listen.url} (see the message above)")
