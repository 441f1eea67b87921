"""The designs pacer-verify is measured against, running the very same flows (verify_account):

- `naive`: a new browser for every account, one account after another;
- `context`: one browser, a new context for every account, one after another.

Run by bench/run.py in its own process, so that its whole process tree can be measured.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from verifier.browser.launch import choice_from_environment, launch_args
from verifier.check.site import SiteMap
from verifier.check.verify import SignInMethod, verify_account
from verifier.models import Account, Status
from verifier.roster import iter_roster


async def run(mode: str, roster: Path, base_url: str, limit: int, sign_in: SignInMethod) -> int:
    accounts = [a for a in iter_roster(roster, env={}) if isinstance(a, Account)][:limit]
    site = SiteMap.for_base_url(base_url)
    wrong = 0
    async with async_playwright() as playwright:
        choice = choice_from_environment(playwright)

        async def launch() -> Browser:
            return await playwright.chromium.launch(
                executable_path=choice.executable_path, channel=choice.channel, args=launch_args()
            )

        shared = await launch() if mode == "context" else None
        for account in accounts:
            browser = shared or await launch()
            context = await browser.new_context()
            page = await context.new_page()
            verification = await verify_account(page, account, site, check_courts=False, sign_in=sign_in)
            wrong += verification.status not in (Status.UPGRADED, Status.LEGACY)
            await context.close()
            if shared is None:
                await browser.close()
        if shared is not None:
            await shared.close()
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["naive", "context"])
    parser.add_argument("--roster", type=Path, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--accounts", type=int, default=30)
    parser.add_argument("--sign-in", choices=["api", "browser"], default="api")
    args = parser.parse_args()
    started = time.monotonic()
    wrong = asyncio.run(run(args.mode, args.roster, args.base_url, args.accounts, args.sign_in))
    print(
        f"{args.mode}: {args.accounts} accounts in {time.monotonic() - started:.1f}s, {wrong} unexpected",
        file=sys.stderr,
    )
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
