"""Command line: ``python -m server serve|migrate|seed-demo|create-user|check``."""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

from .config import ENV_PREFIX
from .enums import Role


def _settings(args: argparse.Namespace):
    from .config import Settings

    return Settings.from_env(args.db)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import SchemaError, prepare_database
    from .db import Database, describe_url

    settings = _settings(args)
    db = Database(settings.db_url)
    try:
        revision = prepare_database(db)
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    if args.updates_dir and not Path(args.updates_dir).is_dir():
        print(f"error: the updates directory {args.updates_dir} does not exist", file=sys.stderr)
        return 2
    # every worker process builds its app from these
    os.environ[ENV_PREFIX + "DB"] = settings.db_url
    if args.updates_dir:
        os.environ[ENV_PREFIX + "UPDATES_DIR"] = str(Path(args.updates_dir).resolve())
    if args.no_dashboard:
        os.environ[ENV_PREFIX + "DASHBOARD"] = "0"
    print(f"serving {describe_url(settings.db_url)} (schema {revision}) on http://{args.host}:{args.port} "
          f"with {args.workers} worker(s)", file=sys.stderr)
    uvicorn.run("server.app:app_from_env", factory=True, host=args.host, port=args.port, workers=args.workers,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips, log_level=args.log_level,
                timeout_keep_alive=30, access_log=args.access_log)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from .db import Database, describe_url
    from .migrate import schema_state, upgrade

    db = Database(_settings(args).db_url)
    try:
        before = schema_state(db.engine)
        if not before.known:
            print(f"error: the database has schema {before.current}, newer than this server ({before.head})",
                  file=sys.stderr)
            return 2
        after = upgrade(db.engine, args.revision)
    finally:
        db.dispose()
    print(f"{describe_url(db.url)}: schema {before.current or 'empty'} -> {after.current}")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from .app import SchemaError, prepare_database
    from .db import Database
    from .seed import seed_demo

    settings = _settings(args)
    db = Database(settings.db_url)
    try:
        prepare_database(db)
        changed = seed_demo(db, argon2_profile=settings.argon2_profile)
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print("demo data seeded" if changed else "demo data already present: nothing changed")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from .accounts import AccountError, create_user
    from .app import SchemaError, prepare_database
    from .db import Database

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat the password: "):
            print("error: the passwords differ", file=sys.stderr)
            return 2
    settings = _settings(args)
    db = Database(settings.db_url)
    try:
        prepare_database(db)
        with db.write() as conn:
            row = create_user(conn, username=args.username, password=password, role=args.role,
                              display_name=args.display_name, argon2_profile=settings.argon2_profile)
    except (AccountError, SchemaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(f"created {row['role']} account {row['username']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m server", description="Declarant Desk customs feedback server")
    sub = p.add_subparsers(dest="command", required=True)

    def db_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", help=f"database URL: sqlite:///path/file.db or postgresql://user@host/db "
                                     f"(default: ${ENV_PREFIX}DB)")

    s = sub.add_parser("serve", help="run the HTTP server")
    db_arg(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--workers", type=int, default=1, help="worker processes (on SQLite they evaluate batches at the same time "
                                                               "and take turns to store them)")
    s.add_argument("--updates-dir", help="serve this update repository under /updates/")
    s.add_argument("--no-dashboard", action="store_true", help="do not serve /dashboard")
    s.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="proxies trusted for X-Forwarded-For/-Proto (the TLS front end)")
    s.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    s.add_argument("--access-log", action="store_true", help="log every request (paths only, never bodies)")
    s.set_defaults(func=cmd_serve)

    m = sub.add_parser("migrate", help="bring the database schema up to date")
    db_arg(m)
    m.add_argument("--revision", default="head")
    m.set_defaults(func=cmd_migrate)

    d = sub.add_parser("seed-demo", help="load the demo catalog, enterprises, declarations and staff (idempotent)")
    db_arg(d)
    d.set_defaults(func=cmd_seed)

    u = sub.add_parser("create-user", help="create an enterprise or staff account")
    db_arg(u)
    u.add_argument("--username", required=True, help="tax code (enterprise) or login (staff)")
    u.add_argument("--role", required=True, choices=[r.value for r in Role])
    u.add_argument("--display-name", required=True)
    u.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    u.set_defaults(func=cmd_create_user)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
