"""scripts/system_deps.sh: `make test` and .ci/run name exactly the system packages that are
missing, with the command that installs them, and fail; nothing is installed here (the
script only installs as root with apt-get on PATH, and these runs have neither)."""

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system_deps.sh"
# What the script itself runs; everything else (chromium, msgfmt, redis-server, apt-get) is
# left off the PATH of these runs, so it looks missing.
TOOLS = ("bash", "grep", "fc-list", "ldconfig")


@pytest.fixture
def bare_path(tmp_path):
    """A PATH with the script's own tools only."""
    for tool in TOOLS:
        found = shutil.which(tool) or shutil.which(tool, path="/sbin:/usr/sbin")
        if found is None:
            pytest.skip(f"`{tool}` is not on this machine")
        (tmp_path / tool).symlink_to(found)
    return str(tmp_path)


def run(path, *args):
    return subprocess.run(
        [SCRIPT, *args],
        env={"PATH": path, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("args", [("--check",), ()], ids=["check", "install-without-apt"])
def test_missing_packages_are_named_with_the_command_and_fail(bare_path, args):
    result = run(bare_path, *args)

    assert result.returncode != 0
    missing = result.stderr.splitlines()[0]
    assert missing.startswith("Missing system packages for the tests:")
    named = missing.partition(":")[2].split()
    assert {"chromium", "gettext", "redis-server"} <= set(named)
    assert f"apt-get install -y {' '.join(named)}" in result.stderr


def test_only_what_is_missing_is_named(bare_path, tmp_path):
    """chromium is there (a stand-in on PATH): it is not in the list, the others still are."""
    (tmp_path / "chromium").symlink_to(shutil.which("true"))

    result = run(bare_path, "--check")

    assert result.returncode != 0
    assert "chromium" not in result.stderr
    assert "gettext" in result.stderr and "redis-server" in result.stderr


def test_everything_present_passes(tmp_path, bare_path):
    for command in ("chromium", "msgfmt", "redis-server", "haproxy"):
        (tmp_path / command).symlink_to(shutil.which("true"))

    result = run(bare_path, "--check")

    if "fonts-noto" in result.stderr or "libpango" in result.stderr:
        pytest.skip(f"this machine lacks fonts or Pango: {result.stderr.splitlines()[0]}")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_unknown_option_is_refused(bare_path):
    assert run(bare_path, "--install-everything").returncode == 2
