"""Mixed load with nothing lost (issue 15, item 6), standalone: the figures for bench/README.md.

    .venv/bin/python bench/mixed_load.py [--duration 60] [--concurrency 50] [--port 8870]

Starts PostgreSQL and Redis of its own and the two-node trial on them (tests/system/harness.py,
scripts/cluster.py: gunicorn with gunicorn.conf.py and the production settings, the fake Stripe
server, loopback only), then for --duration seconds --concurrency simulated visitors view
pages, give through the fake Stripe checkout (webhooks late, shuffled, duplicated) and
register for a small workshop room. Prints requests, req/s, p50/p95/p99, answers by status,
gifts and webhook deliveries, then checks the ledger (exit 1 when anything is off). The
same run is the test tests/system/test_load.py.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.system.harness import check_totals, mixed_load, running_site


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--port", type=int, default=8870, help="uses PORT … PORT+15")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    arguments = parser.parse_args()
    with running_site(arguments.port, arguments.workers, say=print) as site:
        before = site.state()
        stats, ran, drained = mixed_load(site, arguments.duration, arguments.concurrency)
        after = site.state()
        shown = check_totals(site, after)
    figures = stats.figures(ran)
    gained = after["gifts"] - before["gifts"]
    paid = {s for s, (status, _c) in after["stripe"].items() if status == "paid"}
    paid_in_stripe = {s for s, v in site.stripe.sessions.items() if v["payment_status"] == "paid"}
    checks = {
        "no answer >= 500": not any(code >= 500 for code in stats.statuses),
        "every webhook acknowledged": drained,
        "total gained = gifts paid": gained == stats.paid_cents,
        "paid in Stripe = paid in the ledger": paid == paid_in_stripe,
        "ledger audit clean": not after["problems"],
        "API total = ledger": shown["api_raised_cents"] == after["raised"],
        "page shows the total": shown["page_shows_total"],
        "room not overbooked": after["seats_confirmed"] <= after["capacity"],
    }
    print(
        f"\nMixed load: {arguments.duration:.0f} s, {arguments.concurrency} concurrent, 2 nodes × "
        f"{arguments.workers} workers, production settings, PostgreSQL + Redis, loopback"
    )
    for name, value in figures.items():
        print(f"  {name:32} {value}")
    print(f"  {'seats confirmed / capacity':32} {after['seats_confirmed']} / {after['capacity']}")
    print(f"  {'raised gained (cents)':32} {gained} (gifts paid: {stats.paid_cents})")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    if stats.errors:
        print("First errors:", json.dumps(stats.errors[:10], default=str))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
