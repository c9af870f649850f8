"""axe-core checks shared by the browser tests."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}


def describe(violations):
    """A readable list of axe violations and the nodes they were found at."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page):
    """Run axe on ``page``; fail listing every serious or critical violation."""
    results = Axe().run(page).response
    assert results["passes"], "axe-core ran no rule at all: is it injected?"
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical violation(s) on {page.url}:\n"
        + describe(blocking)
    )
