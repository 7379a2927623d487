"""A starting synonym table (citizen words → catalogue words); editable in the admin afterwards."""

from django.db import migrations

from tongban.assistant.seed import SYNONYMS


def seed(apps, schema_editor):
    Synonym = apps.get_model("assistant", "Synonym")
    for term, expansions in SYNONYMS.items():
        Synonym.objects.get_or_create(term=term, defaults={"expansions": expansions})


class Migration(migrations.Migration):
    dependencies = [("assistant", "0002_fulltext")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
