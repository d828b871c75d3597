"""A real single-node Slurm cluster on loopback, for the cluster tests (tests/test_cluster.py).

Debian bookworm's Slurm 22.05: munged, a private MariaDB, slurmdbd (so that sacct works, which the
Snakemake executor plugin polls), slurmctld and slurmd -N localhost, all started by hand (no systemd)
as foreground children whose PIDs we keep, and stopped by PID afterwards. Everything the cluster
writes (configuration, state, logs, the database) lives in one folder. The node offers fake GPUs
(gres.conf File= entries that are symlinks to /dev/null) so that GPU requests can be scheduled.

Run by hand to try the Slurm profile against it:

    python tests/slurm_cluster.py up /tmp/slurm     # prints `export SLURM_CONF=...`; Ctrl-C stops it
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PACKAGES = ["munge", "slurmctld", "slurmd", "slurm-client", "slurmdbd", "mariadb-server"]
BINARIES = ["munged", "slurmctld", "slurmd", "slurmdbd", "sbatch", "srun", "sacct", "mariadbd", "mariadb-install-db"]
CLUSTER = "unlearn"
PARTITION = "debug"
ACCOUNT = "research"


class ClusterUnavailable(RuntimeError):
    """The Slurm packages are missing and cannot be installed here (the tests skip, saying why)."""


class ClusterError(RuntimeError):
    """The packages are there but a daemon would not start (the tests fail, with its log)."""


def _which(name: str) -> str | None:
    """A binary on PATH or in the sbin folders (daemons live there; a non-login root shell may lack them)."""
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def missing_binaries() -> list[str]:
    return [b for b in BINARIES if _which(b) is None]


def ensure_packages() -> None:
    """apt-get the Slurm/munge/MariaDB packages when they are missing (root only)."""
    if not missing_binaries():
        return
    if os.geteuid() != 0:
        raise ClusterUnavailable(
            f"Slurm packages missing ({', '.join(missing_binaries())}) and not root to install them"
        )
    if shutil.which("apt-get") is None:
        raise ClusterUnavailable("Slurm packages missing and no apt-get to install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *PACKAGES]):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        if proc.returncode != 0 and cmd[1] == "install":
            raise ClusterUnavailable(f"apt-get install failed: {proc.stderr.strip()[-500:]}")
    if missing_binaries():
        raise ClusterUnavailable(f"still missing after install: {', '.join(missing_binaries())}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MIN_CPUS = 4  # the cluster profile's threads per training job; a 2-core test machine declares 4 (config_overrides)


def _node_line(gpus: int) -> str:
    """NodeName line from `slurmd -C` (the machine's memory; its CPUs, at least MIN_CPUS), with fake GPUs."""
    out = subprocess.run([_which("slurmd"), "-C"], capture_output=True, text=True, check=True).stdout
    fields = dict(kv.split("=", 1) for kv in out.split("\n")[0].split())
    cpus, mem = max(MIN_CPUS, int(fields["CPUs"])), int(fields["RealMemory"])
    gres = f" Gres=gpu:{gpus}" if gpus else ""
    return f"NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={int(mem * 0.9)}{gres} State=UNKNOWN"


class LocalSlurm:
    """Start/stop the daemons; `env` is what a client (sbatch, sacct, snakemake) needs."""

    def __init__(self, root: str | Path, gpus: int = 2):
        self.root = Path(root).resolve()
        self.gpus = gpus
        self.procs: dict[str, subprocess.Popen] = {}
        self.conf = self.root / "etc" / "slurm.conf"

    @property
    def env(self) -> dict[str, str]:
        path = f"{self.root / 'bin'}:{os.environ.get('PATH', '')}"
        return {**os.environ, "SLURM_CONF": str(self.conf), "PATH": path}

    # configuration -------------------------------------------------------------------------
    def _write_configs(self) -> None:
        r = self.root
        for sub in ("bin", "etc", "log", "run", "state/ctld", "state/d", "mysql", "dev"):
            (r / sub).mkdir(parents=True, exist_ok=True)
        # Inside a job, snakemake-executor-plugin-slurm-jobstep drops every SLURM_* variable except the
        # allocation's ids before calling srun, SLURM_CONF included; a real cluster's clients find
        # /etc/slurm/slurm.conf, ours (which leaves /etc alone) finds its config through this srun.
        srun = r / "bin" / "srun"
        srun.write_text(f'#!/bin/sh\nexport SLURM_CONF="{self.conf}"\nexec {_which("srun")} "$@"\n')
        srun.chmod(0o755)
        self.ports = {k: _free_port() for k in ("ctld", "d", "dbd", "mysql")}
        for i in range(self.gpus):
            dev = r / "dev" / f"gpu{i}"
            if not dev.exists():
                dev.symlink_to("/dev/null")
        gres = "".join(f"NodeName=localhost Name=gpu File={r}/dev/gpu{i}\n" for i in range(self.gpus))
        (r / "etc" / "gres.conf").write_text("AutoDetect=off\n" + gres)
        (r / "etc" / "slurm.conf").write_text(
            f"""ClusterName={CLUSTER}
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={self.ports["ctld"]}
SlurmdPort={self.ports["d"]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
StateSaveLocation={r}/state/ctld
SlurmdSpoolDir={r}/state/d
SlurmctldPidFile={r}/run/slurmctld.pid
SlurmdPidFile={r}/run/slurmd.pid
SlurmctldLogFile={r}/log/slurmctld.log
SlurmdLogFile={r}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
GresTypes=gpu
MailProg=/bin/true
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=300
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort={self.ports["dbd"]}
AccountingStorageTRES=gres/gpu
AccountingStoreFlags=job_comment
JobAcctGatherType=jobacct_gather/none
{_node_line(self.gpus)}
PartitionName={PARTITION} Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""
        )
        dbd = r / "etc" / "slurmdbd.conf"
        dbd.write_text(
            f"""AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort={self.ports["dbd"]}
SlurmUser=root
LogFile={r}/log/slurmdbd.log
PidFile={r}/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort={self.ports["mysql"]}
StorageUser=root
StorageLoc=slurm_acct_db
"""
        )
        dbd.chmod(0o600)

    # daemons -------------------------------------------------------------------------------
    def _spawn(self, name: str, cmd: list[str], **kw) -> None:
        with open(self.root / "log" / f"{name}.out", "w") as log:
            self.procs[name] = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True, **kw
            )  # own session: a Ctrl-C meant for the caller does not reach the daemons

    def _wait(self, what: str, ok, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    tail = (self.root / "log" / f"{name}.out").read_text()[-1500:]
                    raise ClusterError(f"{name} exited ({proc.returncode}) while waiting for {what}:\n{tail}")
            if ok():
                return
            time.sleep(0.5)
        raise ClusterError(f"timed out waiting for {what}; logs in {self.root / 'log'}")

    def _run(self, *cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run(list(cmd), capture_output=True, text=True, env=self.env, timeout=60)

    def start(self) -> LocalSlurm:
        ensure_packages()
        if os.geteuid() != 0:
            raise ClusterUnavailable("starting slurmd/slurmctld needs root (CI runs as root)")
        self._write_configs()
        r = self.root
        try:
            # munge: the system socket (/run/munge); started by us unless one is already running there
            if self._run(_which("munge"), "-n").returncode != 0:
                Path("/run/munge").mkdir(parents=True, exist_ok=True)
                shutil.chown("/run/munge", "munge", "munge")
                self._spawn("munged", [_which("munged"), "-F"], user="munge", group="munge", extra_groups=[])
                self._wait("munged", lambda: self._run(_which("munge"), "-n").returncode == 0)
            # MariaDB: a private datadir bound to 127.0.0.1, no grant tables (a throwaway test database)
            if not (r / "mysql" / "mysql").exists():
                proc = self._run(
                    _which("mariadb-install-db"), "--no-defaults", f"--datadir={r}/mysql", "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db",
                )  # fmt: skip
                if proc.returncode != 0:
                    raise ClusterError(f"mariadb-install-db failed: {proc.stderr[-800:]}")
            self._spawn(
                "mariadbd",
                [
                    _which("mariadbd"), "--no-defaults", f"--datadir={r}/mysql", "--user=root",
                    "--bind-address=127.0.0.1", f"--port={self.ports['mysql']}", f"--socket={r}/run/mysql.sock",
                    f"--pid-file={r}/run/mariadbd.pid", "--skip-grant-tables", "--skip-name-resolve",
                ],
            )  # fmt: skip
            self._wait("MariaDB", lambda: _port_open(self.ports["mysql"]))
            self._spawn("slurmdbd", [_which("slurmdbd"), "-D"])
            self._wait("slurmdbd", lambda: _port_open(self.ports["dbd"]))
            self._run("sacctmgr", "-i", "add", "cluster", CLUSTER)
            self._run("sacctmgr", "-i", "add", "account", ACCOUNT, f"cluster={CLUSTER}")
            self._run("sacctmgr", "-i", "add", "user", getpass.getuser(), f"account={ACCOUNT}", f"cluster={CLUSTER}")
            self._spawn("slurmctld", [_which("slurmctld"), "-D", "-i"])
            self._wait("slurmctld", lambda: self._run("scontrol", "ping").stdout.count("UP") > 0)
            self._spawn("slurmd", [_which("slurmd"), "-D", "-N", "localhost"])
            self._wait("an idle node", lambda: "idle" in self._run("sinfo", "-h", "-o", "%T").stdout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every daemon this object started, by PID, newest first."""
        for name in reversed(list(self.procs)):
            proc = self.procs[name]
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.procs.clear()

    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.procs.items()}


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "up":
        print(__doc__)
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops the daemons too
    cluster = LocalSlurm(argv[2]).start()
    print(f"export SLURM_CONF={cluster.conf}   # daemons: {cluster.pids()}; Ctrl-C stops them", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second signal must not leave daemons behind
            signal.signal(sig, signal.SIG_IGN)
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
