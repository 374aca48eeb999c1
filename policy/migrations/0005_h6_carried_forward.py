from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("policy", "0004_source_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="score",
            name="carried_from",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
