from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("policy", "0008_usersession"),
    ]

    operations = [
        migrations.AddField(
            model_name="score",
            name="carried_from",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
