"""The home page's key figures are computed (home/figures.py), never typed: each figure typed
by hand becomes the computed figure it showed, guessed from its text, keeping what it counts
(its label). Live data and every revision are migrated (Wagtail's MigrateStreamData)."""

from django.db import migrations

import wagtail.fields
from wagtail.blocks.migrations.migrate_operation import MigrateStreamData
from wagtail.blocks.migrations.operations import BaseBlockOperation

import home.figures

WORDS = {
    "districts": ("quartier", "arrondissement", "neighbourhood", "district", "حي"),
    "people": ("personne", "donat", "people", "donor", "شخص", "متبرع"),
}


def computed_figure(typed, label):
    """The name of the computed figure that ``typed`` ("94 %", "1,2 M€", "45") showed."""
    label = label.lower()
    if "%" in typed or "٪" in typed:
        return "success_rate"
    if "€" in typed or "eur" in typed.lower() or "يورو" in typed:
        return "raised"
    for name, words in WORDS.items():
        if any(word in label for word in words):
            return name
    return "campaigns_funded"


class TypedToComputedFigure(BaseBlockOperation):
    def apply(self, block_value):
        if "figure" in block_value:
            return block_value
        label = block_value.get("label", "")
        return {"figure": computed_figure(block_value.get("value", ""), label), "label": label}

    @property
    def operation_name_fragment(self):
        return "typed_to_computed_figure"


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_alter_homepage_body_alter_standardpage_body"),
    ]

    operations = [
        migrations.AlterField(
            model_name="homepage",
            name="key_figures",
            field=wagtail.fields.StreamField(
                [("figure", 2)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": home.figures.choices,
                            "help_text": "Computed from the donations and the closed campaigns, "
                            "in every language.",
                            "label": "Figure",
                        },
                    ),
                    1: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "What it counts", "max_length": 80},
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("figure", 0), ("label", 1)]], {}),
                },
                verbose_name="key figures",
            ),
        ),
        MigrateStreamData(
            app_name="home",
            model_name="HomePage",
            field_name="key_figures",
            operations_and_block_paths=[(TypedToComputedFigure(), "figure")],
        ),
    ]
