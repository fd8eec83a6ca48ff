"""Start `bin/serve` (what `make serve` runs) in a child process, on a free port, in its own var/ folder."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# Variables of the test run that must not leak into a production-like server.
_DROPPED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT", "PYTEST_")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(var_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED)}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        PORTAL_VAR_DIR=str(var_dir),
        SECRET_KEY="serve-test-" + "k" * 50,
        SECURE_SSL_REDIRECT="0",
        HOST="127.0.0.1",
        PORT=str(free_port()),
        WEB_CONCURRENCY="2",
        Q_WORKERS="2",
        WEB_ACCESS_LOG="0",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


class Server:
    def __init__(self, env: dict, *args: str, log_path: Path):
        self.env = env
        self.base_url = f"http://127.0.0.1:{env['PORT']}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "bin/serve", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str, **headers: str):
        """(status, headers, body) of a GET, without raising on 4xx/5xx."""
        request = urllib.request.Request(self.base_url + path, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def wait_ready(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"bin/serve exited ({self.process.returncode}):\n{self.log()[-4000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"bin/serve not up after {timeout} s:\n{self.log()[-4000:]}")

    def terminate(self) -> float:
        """SIGTERM, then the seconds it took to exit (killed after 30 s)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.terminate()
