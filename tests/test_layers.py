"""The layers (README, "Layers"): helpers <- donations <- home <- campaigns <- stories |
workshops <- cocity. The import contract (pyproject.toml, `lint-imports`, run by `make lint`)
holds for Python; these tests hold the same order for templates, which no linter reads, and
for the dodges a linter cannot see (apps.get_model)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER = {"donations": 1, "home": 2, "campaigns": 3, "stories": 4, "workshops": 4}
APPS = list(LAYER)
# the frame every page hangs in (base.html, components/, navigation/…): usable by every app
FRAME = ROOT / "cocity" / "templates"
TEMPLATE_NAME = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def owner(name):
    """The app whose templates hold ``name``, "frame" for cocity/templates, "outside" for
    Wagtail's and Django's own (wagtailadmin/…), or None when nothing has it."""
    if (FRAME / name).exists():
        return "frame"
    for app in APPS:
        if (ROOT / app / "templates" / name).exists():
            return app
    if name.split("/")[0] not in APPS:
        return "outside"
    return None


def template_uses():
    """(app, template file, name it includes or extends) for every app template."""
    for app in APPS:
        for path in sorted((ROOT / app / "templates").rglob("*.html")):
            for name in TEMPLATE_NAME.findall(path.read_text()):
                yield app, path.relative_to(ROOT), name


def test_templates_use_only_their_layer_and_those_below():
    uses = list(template_uses())
    assert len(uses) > 100  # the templates were read
    wrong = []
    for app, path, name in uses:
        found = owner(name)
        assert found is not None, f"{path} names {name}, which no app has"
        if found in ("frame", "outside", app):
            continue
        if LAYER[found] >= LAYER[app]:  # above, or beside (stories and workshops)
            wrong.append(f"{path} ({app}) uses {name} ({found})")
    assert wrong == []


def test_the_rule_sees_a_template_of_a_higher_layer():
    """The check above can fail: a donations template naming a campaigns one is caught."""
    assert owner("campaigns/includes/progress.html") == "campaigns"
    assert LAYER[owner("campaigns/includes/progress.html")] > LAYER["donations"]
    assert owner("components/field.html") == "frame"


def test_no_app_looks_models_up_by_name_to_hide_an_import():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in [*APPS, "helpers", "cocity"]
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "apps.get_model(" in line
    ]
    assert found == []


def test_the_import_contract_holds():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers: " in result.stdout and "KEPT" in result.stdout
    assert "1 kept, 0 broken" in result.stdout
