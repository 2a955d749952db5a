"""The moved models' content types change app label, in place.

Renaming the rows (rather than letting Django create new ones for `committees` and leave the old
ones stale) keeps every reference to them: permissions (their codenames do not change, so users'
and groups' direct permissions stay linked), the admin log and any generic relation. Audit
entries name their target by model label; they are relabelled too (the committee services audit
against the organisation, but any entry that names a term or a position follows it).
"""

from django.db import migrations

MODELS = ["committeeposition", "committeeterm", "termreminder"]


def relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    db = schema_editor.connection.alias
    for model in MODELS:
        # A content type for the new label exists only if something created it before this
        # migration ran (e.g. a post_migrate of a half-applied upgrade); the old row carries the
        # references, so the empty newcomer gives way.
        if ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            ContentType.objects.using(db).filter(app_label=new, model=model).delete()
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)
        AuditEntry.objects.using(db).filter(target_type=f"{old}.{model}").update(
            target_type=f"{new}.{model}"
        )


def forwards(apps, schema_editor) -> None:
    relabel(apps, schema_editor, "branches", "committees")


def backwards(apps, schema_editor) -> None:
    relabel(apps, schema_editor, "committees", "branches")


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
        ("branches", "0008_committees_move_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0004_outbox_next_attempt_at"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
