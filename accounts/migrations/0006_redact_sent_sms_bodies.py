"""Blank the body of verification-code messages already done (sent, failed or expired) that
were written before bodies were blanked; the codes must not linger in the database."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

REDACTED = "[redacted]"


def redact(apps, schema_editor):
    OutgoingSms = apps.get_model("accounts", "OutgoingSms")
    done = Q(status__in=["sent", "failed"]) | Q(expires_at__lt=timezone.now())
    OutgoingSms.objects.filter(done, sensitive=True).exclude(body=REDACTED).update(body=REDACTED)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_phoneverification_ip_address")]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
