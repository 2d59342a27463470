from django.db import migrations


def load(apps, schema_editor):
    from jiayuan.residents.special_groups import ensure_special_groups

    ensure_special_groups(apps.get_model("residents", "SpecialGroup"))


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
