from django.db import migrations


def load(apps, schema_editor):
    from jiayuan.residents.special_groups import SPECIAL_GROUPS

    SpecialGroup = apps.get_model("residents", "SpecialGroup")
    for code, zh, en, level, source in SPECIAL_GROUPS:
        SpecialGroup.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sensitivity": level, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
