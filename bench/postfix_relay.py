"""A private Postfix on 127.0.0.1 that accepts, queues (with its fsyncs) and discards.

Used by bench/smtp.py as the "real MTA" of issue 12. It is a separate instance (its own
config, queue and log directories under a temporary directory, its own port), so it
touches neither /etc/postfix nor a system Postfix another process may run. Needs root
and Debian's postfix package: ``ensure_installed`` runs ``apt-get install -y postfix``
non-interactively ("No configuration") when the binary is missing.

Mail goes nowhere: ``default_transport = discard`` (and relay/local alike), no DNS or
peer-name lookups, loopback only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

MAIN_CF = """compatibility_level = 3.6
queue_directory = {root}/spool
data_directory = {root}/data
meta_directory = {root}/etc
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
mail_owner = postfix
setgid_group = postdrop
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = relay.bench.invalid
mydomain = bench.invalid
myorigin = $myhostname
mydestination =
local_recipient_maps =
relay_domains =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
default_transport = discard
relay_transport = discard
local_transport = discard
disable_dns_lookups = yes
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtputf8_enable = no
biff = no
message_size_limit = 52428800
default_process_limit = 100
smtpd_client_connection_count_limit = 0
smtpd_client_message_rate_limit = 0
anvil_rate_time_unit = 60s
"""

MASTER_CF = """127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def ensure_installed() -> str | None:
    """None when Postfix is ready, else why it cannot be used here."""
    if shutil.which("postfix") or Path("/usr/sbin/postfix").exists():
        return None
    if os.geteuid() != 0:
        return "postfix is not installed and we are not root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["debconf-set-selections"], check=False, env=env, text=True,
                   input="postfix postfix/main_mailer_type select No configuration\n")
    done = subprocess.run(["apt-get", "install", "-y", "-q", "postfix"], env=env,
                          capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        return f"apt-get install postfix failed: {done.stderr.strip()[-300:]}"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class PostfixRelay:
    """``with PostfixRelay() as port:`` a discarding Postfix listening on that port."""

    def __init__(self, port: int | None = None) -> None:
        # 25 when nobody uses it (as a real relay would be), else a port of its own.
        self.port = port or (25 if _port_is_free(25) else _free_port())
        self.root = Path(tempfile.mkdtemp(prefix="syndicate-postfix-"))

    def _postfix(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["/usr/sbin/postfix", "-c", str(self.root / "etc"), *args],
                              capture_output=True, text=True, check=False, timeout=60)

    def __enter__(self) -> int:
        etc = self.root / "etc"
        etc.mkdir(parents=True)
        for sub in ("spool", "data"):
            (self.root / sub).mkdir()
        shutil.copy("/etc/postfix/postfix-files", etc / "postfix-files")
        if Path("/etc/postfix/postfix-files.d").is_dir():
            shutil.copytree("/etc/postfix/postfix-files.d", etc / "postfix-files.d")
        if Path("/etc/postfix/dynamicmaps.cf").exists():
            shutil.copy("/etc/postfix/dynamicmaps.cf", etc / "dynamicmaps.cf")
        (etc / "main.cf").write_text(MAIN_CF.format(root=self.root), encoding="ascii")
        (etc / "master.cf").write_text(MASTER_CF.format(port=self.port), encoding="ascii")
        shutil.chown(self.root / "data", "postfix", "postfix")
        os.chmod(self.root, 0o755)
        self._postfix("set-permissions")
        started = self._postfix("start")
        if started.returncode != 0:
            raise RuntimeError(f"postfix start failed: {started.stderr.strip()[-500:]} {started.stdout.strip()[-500:]}")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"220"):
                        return self.port
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"postfix did not answer on port {self.port}")

    def queue_size(self) -> int:
        count = 0
        for sub in ("incoming", "active", "deferred"):
            for _, _, files in os.walk(self.root / "spool" / sub):
                count += len(files)
        return count

    def drain(self, timeout: float = 60) -> None:
        """Wait until everything handed over has been discarded (a fair next run)."""
        deadline = time.monotonic() + timeout
        while self.queue_size() and time.monotonic() < deadline:
            time.sleep(0.1)

    def __exit__(self, *_: object) -> None:
        self._postfix("stop")
        time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)
