"""Every tally worked out again with the issue-12 rules: matches and lost disputes apart,
donor_count counting people, gift_count counting gifts (donations.ledger)."""

from django.db import migrations


def recompute_tallies(apps, schema_editor):
    # The ledger's own computation (raised, matched, disputed, people, gifts, the result by
    # the closing time): a tally is always what the ledger's rules say, never a second copy.
    from donations import ledger

    ledger.recompute_all()


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0005_money_lifecycle"),
    ]

    operations = [
        migrations.RunPython(recompute_tallies, migrations.RunPython.noop, elidable=True),
    ]
