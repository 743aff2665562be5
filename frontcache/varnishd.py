"""Run deploy/varnish/default.vcl locally: for the tests and the benchmark, not production.

Production runs Debian's varnish service with the VCL copied to /etc/varnish/ (README,
"Running at scale"); here the same VCL is started on a free loopback port in front of a
test server, with only the two site-specific places (backends, purgers) replaced.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VCL_PATH = Path(__file__).resolve().parents[1] / "deploy" / "varnish" / "default.vcl"


def varnishd_path():
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which("varnishd", path=search)


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def render_vcl(backend_port, backend_host="127.0.0.1", purgers=None, probe_interval=None):
    """The production VCL pointed at one backend, optionally with other purgers or a
    faster health probe."""
    vcl = VCL_PATH.read_text()
    vcl, count = re.subn(
        r'(backend app1 \{\s*\.host = )"[^"]*";(\s*\.port = )"[^"]*";',
        rf'\1"{backend_host}";\2"{backend_port}";',
        vcl,
    )
    if count != 1:
        raise ValueError("default.vcl: backend app1 not found")
    if purgers is not None:
        body = "".join(f'    "{address}";\n' for address in purgers)
        vcl, count = re.subn(r"acl purgers \{[^}]*\}", "acl purgers {\n" + body + "}", vcl)
        if count != 1:
            raise ValueError("default.vcl: acl purgers not found")
    if probe_interval is not None:
        vcl = vcl.replace(".interval = 5s;", f".interval = {probe_interval};")
    return vcl


def _answers(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def running_varnishd(vcl, port=None, memory="64m", params=()):
    """Start varnishd (foreground, no privilege separation, a throwaway working directory)
    with ``vcl`` on ``127.0.0.1:port``; yield its base URL; stop it on exit."""
    binary = varnishd_path()
    if binary is None:
        raise FileNotFoundError("varnishd is missing: apt-get install varnish varnish-modules")
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="rw-varnish-") as workdir:
        vcl_file = Path(workdir) / "site.vcl"
        vcl_file.write_text(vcl)
        command = [
            binary,
            "-F",
            "-j",
            "none",
            "-n",
            str(Path(workdir) / "instance"),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "127.0.0.1:0",
            "-f",
            str(vcl_file),
            "-s",
            f"malloc,{memory}",
        ]
        for param in params:
            command += ["-p", param]
        log = open(Path(workdir) / "varnishd.log", "w+")  # noqa: SIM115 - closed below
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            deadline = time.monotonic() + 30
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"varnishd did not start:\n{log.read()[-2000:]}")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
