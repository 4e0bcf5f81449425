"""``-vv`` shows hvmigrate's own debug lines but no authentication material from the libraries below it:
spnego logs every NTLM token at DEBUG, and the NTLMv2 response in the AUTHENTICATE message lets anyone
holding the log guess the password offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7!hunter2-Sekr3t"

HANDSHAKE = f"""
import base64, logging, spnego
from wizard.cli import configure_logging
configure_logging(2)
client = spnego.client("joe", {SECRET!r}, hostname="hv01", protocol="ntlm")
server = spnego.server(hostname="hv01", protocol="ntlm")
challenge = server.step(client.step())
authenticate = client.step(challenge)

print("AUTH=" + base64.b64encode(authenticate).decode())
logging.getLogger("wizard.test").debug("own debug line")
"""


def test_vv_logs_no_ntlm_tokens(tmp_path):
    users = tmp_path / "ntlm_users"
    users.write_text(f"HV01:joe:{SECRET}\n")
    env = {**os.environ, "NTLM_USER_FILE": str(users)}
    out = subprocess.run([sys.executable, "-c", HANDSHAKE], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    token = out.stdout.strip().split("AUTH=", 1)[1]
    assert "own debug line" in out.stderr  # -vv still shows hvmigrate's own DEBUG lines
    assert token not in out.stderr and token[:40] not in out.stderr
    assert "NTLM step" not in out.stderr and SECRET not in out.stderr
