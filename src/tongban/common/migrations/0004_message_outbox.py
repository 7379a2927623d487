"""Messages become their own delivery jobs (an outbox). Messages from before were each given a job of their own,
so they count as delivered; a job of theirs still queued delivers its message as before."""

from django.conf import settings
from django.db import migrations, models


def earlier_messages_were_given_jobs(apps, schema_editor):
    Message = apps.get_model("common", "Message")
    Message.objects.filter(delivered_at__isnull=True).update(delivered_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0003_message"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="delivered at"),
        ),
        migrations.AddField(
            model_name="message",
            name="delivery_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="delivery attempts"),
        ),
        migrations.RunPython(earlier_messages_were_given_jobs, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("delivered_at__isnull", True)), fields=["id"], name="message_undelivered"
            ),
        ),
    ]
