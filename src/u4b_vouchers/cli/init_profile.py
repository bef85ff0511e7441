"""``u4b-vouchers init-profile FILE``: write a commented target profile of the vendor's sandbox.

The template itself is :func:`u4b_vouchers.profile.profile_template` (the format's one home);
this command fills in what the description says (the sandbox server, the token URL, the scope
each identity asks for) and tells the user what is left to do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..profile import IDENTITY_KINDS, PLACEHOLDER, profile_template, template_variables
from ..spec import Spec, SpecError, load_spec, parse_rules
from .errors import EXIT_OK, EXIT_USAGE, CliError, exit_codes_epilog

NAME = "init-profile"
HELP = "write a commented target profile for the vendor's sandbox, to fill in"
EPILOG = exit_codes_epilog(
    {
        EXIT_OK: "the profile was written",
        EXIT_USAGE: "FILE exists (give --force to overwrite it), or it cannot be written",
    }
)


DESCRIPTION = f"""\
Write a commented target profile for the vendor's sandbox, to fill in: base_url and token_url
from the description, each identity with the environment variables that hold its secrets, every
fixture kind with what it is, and limits gentle on a shared sandbox. check refuses the file,
naming the key, until each "{PLACEHOLDER}" left in it is filled in."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        NAME,
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="where to write the profile (TOML)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=run)


def sandbox_scopes(spec: Spec) -> dict[str, str]:
    """The scope each client-credentials identity asks for: the first scope of the auth rules
    whose ``identity`` is the caller it plays (an identity no rule gives a scope asks for none)."""
    by_caller: dict[str, str] = {}
    for rule in parse_rules(spec.data):
        caller, scopes = rule.params.get("identity"), rule.params.get("scopes")
        if isinstance(caller, str) and isinstance(scopes, list) and scopes:
            by_caller.setdefault(caller, str(scopes[0]))
    return {name: by_caller[kind.plays] for name, kind in IDENTITY_KINDS.items() if kind.plays in by_caller}


def run(args: argparse.Namespace) -> int:
    file: Path = args.file
    if file.is_dir():
        raise CliError(f"{file}: is a folder; give the profile's file name")
    if file.exists() and not args.force:
        raise CliError(f"{file}: exists; give --force to overwrite it")
    from ..client import SANDBOX_URL, TOKEN_URL  # read from the description's servers and securitySchemes

    try:
        text = profile_template(SANDBOX_URL, TOKEN_URL, sandbox_scopes(load_spec()))
    except SpecError as exc:
        raise CliError(str(exc)) from None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{file}: cannot write the profile: {exc.strerror or exc}") from None
    print(f'wrote {file}: replace each "{PLACEHOLDER}" in it and uncomment the fixtures you have, then set')
    for variable in template_variables():
        print(f"export {variable}=...")
    print(f"then: u4b-vouchers check --profile {file}")
    return EXIT_OK
