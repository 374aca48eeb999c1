"""The one writer of what depends on a case's parts: every change to a case goes through
`case_changed`, whichever way it was made.

What depends on the parts: the case's stamp (`updated_at`, which the memo cache and the
results cache read: principles, actors, risks and sources are in the memo but in no
revision), and, when the part is scored (options, criteria: `scored` on the model), the
revision of every workshop on the case, so that open pages refresh and cached results and
memos are not served again.

The paths, and how each reaches it:
    a model's save() or delete() (the editor, the admin, a shell)  post_save / post_delete
    a risk's actors and events (the memo's actor map)              m2m_changed
    bulk_create / bulk_update / update() (no signals)              a call to case_changed
"""
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ..models import Actor, Case, Criterion, Event, Option, Principle, Risk, Source, Workshop

PART_MODELS = (Source, Principle, Actor, Event, Risk, Option, Criterion)


def case_changed(case_id: int, *, scored: bool) -> None:
    """Record that a part of the case changed: its stamp always; its workshops' revisions when
    the part is scored. Runs in the caller's transaction."""
    Case.objects.filter(pk=case_id).update(updated_at=timezone.now())
    if scored:
        Workshop.objects.filter(case_id=case_id).bump()


def _part_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: the fixture's own values stand
        case_changed(instance.case_id, scored=sender.scored)


def _part_deleted(sender, instance, origin=None, **kwargs):
    # Deleting the case itself takes its parts along: no case is left to stamp.
    if isinstance(origin, Case):
        return
    case_changed(instance.case_id, scored=sender.scored)


def _links_changed(sender, instance, action, **kwargs):
    # `instance` is the risk, or the actor or event when the link is changed from its side.
    if action in ("post_add", "post_remove", "post_clear"):
        case_changed(instance.case_id, scored=type(instance).scored)


def connect() -> None:
    """Called once from the app's ready()."""
    for model in PART_MODELS:
        post_save.connect(
            _part_saved, sender=model, dispatch_uid=f"case-changed-save-{model.__name__}"
        )
        post_delete.connect(
            _part_deleted, sender=model, dispatch_uid=f"case-changed-delete-{model.__name__}"
        )
    for through in (Risk.actors.through, Risk.events.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"case-changed-links-{through.__name__}"
        )
