"""Blind indexes keep 128 bits of the HMAC (core/crypto.py): existing values are cut to match."""

from django.db import migrations
from django.db.models.functions import Left


def shorten(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    Resident.objects.update(id_number_index=Left("id_number_index", 32), phone_index=Left("phone_index", 32))


class Migration(migrations.Migration):
    dependencies = [("residents", "0005_name_grams_index")]
    operations = [migrations.RunPython(shorten, migrations.RunPython.noop)]
