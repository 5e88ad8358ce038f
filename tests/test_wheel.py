"""A wheel built from the tree is a working app: templates/ and static/ (at the top of the
repository) travel inside it, with the translations, the migrations and the password list.

The wheel is installed into a clean venv of its own. That venv borrows the test environment's
installed libraries (Flask, SQLAlchemy, …) through a .pth line, so the test needs no network,
but not its editable install of this tree: the app must come from the wheel alone, and run from a
folder where the source tree is not on the path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

VISIT = r"""
import json, sys
import approval
from approval import create_app
app = create_app()
client = app.test_client()
login = client.get("/login")
css = client.get("/static/app.css")
home = client.get("/public/", follow_redirects=True)  # the one body's portal
print(json.dumps({
    "module": approval.__file__, "templates": app.template_folder,
    "login": [login.status_code, "登录" in login.get_data(as_text=True)],
    "css": [css.status_code, len(css.data)],
    "portal": [home.status_code, home.request.path, "示范镇人民政府" in home.get_data(as_text=True)],
    "catalogs": sorted(str(p.relative_to(app.instance_path))
                       for p in __import__("pathlib").Path(app.instance_path).rglob("*.mo")),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("approval-*.whl")
    return built


def test_a_wheel_ships_the_templates_and_static_files(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "approval/templates/base.html" in names
    assert "approval/templates/accounts/login.html" in names
    assert "approval/static/app.css" in names
    assert "approval/translations/en/LC_MESSAGES/messages.po" in names
    assert "approval/core/data/common_passwords.txt" in names
    assert any(n.startswith("approval/migrations/versions/") for n in names)
    assert not any(n.startswith(("templates/", "static/", "tests/")) for n in names)


def test_a_wheel_in_a_clean_venv_serves_the_login_page_and_the_portal(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # the libraries the app needs, from this environment; not its .pth files (the editable install)
    (site / "borrowed_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    env.update(APPROVAL_INSTANCE_PATH=str(instance), FLASK_APP="approval")
    work = tmp_path / "elsewhere"
    work.mkdir()
    subprocess.run(
        [str(python), "-m", "flask", "init-db", "--demo"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    done = subprocess.run(
        [str(python), "-c", VISIT],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["module"].startswith(str(site)), seen["module"]
    assert seen["templates"].startswith(str(site)), seen["templates"]
    assert seen["login"] == [200, True]
    assert seen["css"][0] == 200 and seen["css"][1] > 1000
    assert seen["portal"][0] == 200 and seen["portal"][2], seen["portal"]
    assert seen["portal"][1].startswith("/public/")
    assert seen["catalogs"] == ["translations/en/LC_MESSAGES/messages.mo"]  # compiled at start-up
