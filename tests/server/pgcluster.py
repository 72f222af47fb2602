"""A throw-away PostgreSQL cluster for tests and benchmarks.

``initdb`` refuses to run as root, so as root the cluster belongs to an unprivileged user
(``postgres`` when it exists, else ``ddtest``, created with ``useradd``). The cluster
listens on 127.0.0.1 on a free port with trust authentication for local connections only,
lives in a temporary directory and is removed by :meth:`PgCluster.stop`.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_bin_dir() -> Path | None:
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin"):
        for d in sorted(glob.glob(pattern), reverse=True):
            if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
                return Path(d)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "ddtest"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "ddtest"],
                   check=True, capture_output=True)
    return "ddtest"


class PgCluster:
    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        self.bin_dir = bin_dir
        self.durable = durable
        self.user = _run_as_user()
        self.dir = Path(tempfile.mkdtemp(prefix="dd-pg-"))
        self.data = self.dir / "data"
        self.sock = self.dir / "sock"
        self.port = _free_port()
        self.started = False

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", self.user, "--", *cmd] if self.user else cmd

    def start(self) -> "PgCluster":
        self.sock.mkdir()
        if self.user:
            pw = pwd.getpwnam(self.user)
            for p in (self.dir, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        subprocess.run(self._cmd("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                 "--no-locale", "--no-sync"), check=True, capture_output=True, timeout=120)
        opts = f"-p {self.port} -h 127.0.0.1 -k {self.sock} -c max_connections=200"
        if not self.durable:  # tests: no fsync (a crashed test cluster is thrown away anyway)
            opts += " -F -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"),
                                 "-w", "-t", "60", "start"), check=True, capture_output=True, timeout=90)
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def create_database(self, name: str, template: str | None = None) -> str:
        tpl = f" TEMPLATE {template}" if template else ""
        for attempt in range(20):
            try:
                self.admin(f'CREATE DATABASE "{name}"{tpl}')
                break
            except Exception as exc:  # the template may still have a closing connection
                if "being accessed by other users" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.1)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.started:
            subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                           capture_output=True, timeout=60)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)
