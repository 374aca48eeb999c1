"""The Django admin: a back office for fixing a case or a workshop by hand.

Cases are written as case files and workshops run in the app; the admin is for repairs. So
lists are searchable and filterable, a case's parts sit inline on the case, and every foreign
key that can grow large (scores, users) is an autocomplete, never a select of every row.
"""
from django import forms
from django.contrib import admin
from django.db import models

from .models import (
    Actor,
    AnalystWeight,
    Case,
    Criterion,
    Event,
    HistoryEntry,
    Membership,
    LockedRecord,
    MemoPDF,
    MemoSettings,
    MemoText,
    Option,
    Principle,
    Risk,
    Score,
    Source,
    UserSession,
    Weight,
    Workshop,
)

# Django 6 will assume https for a URL typed without a scheme; say so now.
URL_AS_HTTPS = {models.URLField: {"assume_scheme": "https"}}

# -- Choices limited to the case being edited ------------------------------------------------


class SameCaseChoices:
    """Foreign keys and many-to-many fields to a case's parts list only that case's parts.

    `case_of(obj)` names the case of the object on the page; the form is built per request,
    so the object is kept on the request (never on the shared admin instance).
    """

    limited = ("source", "principle", "risk", "actor", "actors", "events", "criterion")

    def case_of(self, obj):
        return obj.case_id if obj else None

    def get_form(self, request, obj=None, **kwargs):
        request.editing_case_id = self.case_of(obj)
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        request.editing_case_id = self.case_of(obj)
        return super().get_formset(request, obj, **kwargs)

    def limit(self, db_field, request, kwargs):
        case_id = getattr(request, "editing_case_id", None)
        if db_field.name in self.limited and case_id is not None:
            kwargs["queryset"] = db_field.related_model.objects.filter(case_id=case_id)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self.limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self.limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CriterionForm(forms.ModelForm):
    """Say what is wrong with a scale next to its fields, before the model's own clean."""

    class Meta:
        model = Criterion
        fields = "__all__"

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None:
            if low >= high:
                self.add_error("scale_max", "The scale's max must be above its min.")
            else:
                for key in data.get("anchors") or {}:
                    if not (key.lstrip("-").isdigit() and low <= int(key) <= high):
                        self.add_error("anchors", f"Anchor “{key}” is not a level on the scale.")
        return data


# -- The case and its parts inline -------------------------------------------------------------


class PartInline(SameCaseChoices, admin.TabularInline):
    """A compact row per part; the full form is one click away."""

    extra = 0
    show_change_link = True

    def case_of(self, obj):
        return obj.pk if obj else None  # the inline's parent object is the case itself


class SourceInline(PartInline):
    model = Source
    fields = ("code", "citation", "url")
    formfield_overrides = URL_AS_HTTPS


class PrincipleInline(PartInline):
    model = Principle
    fields = ("position", "code", "title", "red_line")


class ActorInline(PartInline):
    model = Actor
    fields = ("position", "code", "name", "kind", "influence", "stance")


class EventInline(PartInline):
    model = Event
    fields = ("position", "code", "date", "title")


class RiskInline(PartInline):
    model = Risk
    fields = ("position", "code", "title", "likelihood", "impact")


class OptionInline(PartInline):
    model = Option
    fields = ("position", "code", "title")


class CriterionInline(PartInline):
    model = Criterion
    form = CriterionForm
    fields = (
        "position", "code", "title", "kind", "direction", "scale_min", "scale_max",
        "default_weight", "red_line_threshold",
    )


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "decider", "updated_at")
    search_fields = ("title", "slug", "question", "decider")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("owners", "editors")
    readonly_fields = ("created_at", "updated_at")
    inlines = (
        PrincipleInline, ActorInline, EventInline, RiskInline, OptionInline, CriterionInline,
        SourceInline,
    )


class PartAdmin(SameCaseChoices, admin.ModelAdmin):
    list_filter = ("case",)
    list_select_related = ("case",)
    search_fields = ("code", "title", "case__title", "case__slug")
    autocomplete_fields = ("case",)
    ordering = ("case", "position", "code")


@admin.register(Source)
class SourceAdmin(SameCaseChoices, admin.ModelAdmin):
    list_display = ("code", "citation", "url", "case")
    list_filter = ("case",)
    list_select_related = ("case",)
    search_fields = ("code", "citation", "url", "case__title")
    autocomplete_fields = ("case",)
    ordering = ("case", "code")
    formfield_overrides = URL_AS_HTTPS


@admin.register(Principle)
class PrincipleAdmin(PartAdmin):
    list_display = ("code", "title", "red_line", "case")
    list_filter = ("red_line", "case")


@admin.register(Actor)
class ActorAdmin(PartAdmin):
    list_display = ("code", "name", "kind", "influence", "stance", "case")
    list_filter = ("kind", "influence", "stance", "case")
    search_fields = ("code", "name", "interests", "case__title", "case__slug")


@admin.register(Event)
class EventAdmin(PartAdmin):
    list_display = ("code", "date", "title", "case")
    date_hierarchy = "date"
    ordering = ("case", "date", "code")


@admin.register(Risk)
class RiskAdmin(PartAdmin):
    list_display = ("code", "title", "likelihood", "impact", "severity", "case")
    list_filter = ("likelihood", "impact", "case")
    filter_horizontal = ("actors", "events")


@admin.register(Option)
class OptionAdmin(PartAdmin):
    list_display = ("code", "title", "case")


@admin.register(Criterion)
class CriterionAdmin(PartAdmin):
    form = CriterionForm
    list_display = (
        "code", "title", "kind", "direction", "scale_min", "scale_max", "default_weight",
        "red_line_threshold", "case",
    )
    list_filter = ("kind", "direction", "case")


# -- Workshops -----------------------------------------------------------------------------------


class BumpsWorkshop:
    """Scores, weights and memberships changed here bypass workshops/actions.py: bump their
    workshops' revisions as an action would, so open pages refresh and the cached result and
    memo are not served again. (Inlines on the workshop's own page need nothing: saving it
    moves its updated_at, which both caches read.)"""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A row moved to another workshop changes the one it left too.
        Workshop.objects.filter(pk__in={obj.workshop_id, form.initial.get("workshop")}).bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Workshop.objects.filter(pk=obj.workshop_id).bump()

    def delete_queryset(self, request, queryset):
        workshops = set(queryset.values_list("workshop_id", flat=True))
        super().delete_queryset(request, queryset)
        Workshop.objects.filter(pk__in=workshops).bump()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "joined_at")
    readonly_fields = ("joined_at",)
    ordering = ("joined_at", "id")
    autocomplete_fields = ("user",)


class WeightInline(SameCaseChoices, admin.TabularInline):
    model = Weight
    extra = 0
    fields = ("criterion", "value")
    ordering = ("criterion__position", "criterion__code")

    def case_of(self, obj):
        return obj.case_id if obj else None  # the parent is the workshop


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("title", "case", "status", "round", "revision", "revealed", "created_at")
    list_filter = ("status", "round", "aggregation", "method", "weighting", "case")
    list_select_related = ("case",)
    search_fields = ("title", "case__title", "case__slug")
    autocomplete_fields = ("case", "created_by")
    readonly_fields = ("revision", "created_at", "updated_at")
    date_hierarchy = "created_at"
    inlines = (MembershipInline, WeightInline)


@admin.register(Membership)
class MembershipAdmin(BumpsWorkshop, admin.ModelAdmin):
    list_display = ("user", "role", "workshop", "joined_at")
    list_filter = ("role", "workshop")
    list_select_related = ("user", "workshop")
    search_fields = ("user__username", "workshop__title")
    autocomplete_fields = ("user", "workshop")


class ScoreForm(forms.ModelForm):
    class Meta:
        model = Score
        fields = "__all__"

    def _post_clean(self):
        # Score.clean reads the criterion's scale; without a valid criterion the form has its
        # error already, and the model's clean would fail on the missing relation.
        if "criterion" in self.errors:
            return
        super()._post_clean()


@admin.register(Score)
class ScoreAdmin(BumpsWorkshop, admin.ModelAdmin):
    form = ScoreForm
    list_display = (
        "workshop", "round", "analyst", "option", "criterion", "value", "updated_at",
    )
    list_filter = ("workshop", "round", ("criterion", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("workshop", "analyst", "option", "criterion")
    search_fields = ("analyst__username", "rationale", "option__code", "criterion__code")
    autocomplete_fields = ("workshop", "analyst", "option", "criterion")
    readonly_fields = ("created_at", "updated_at")
    list_per_page = 100
    # Counting 100k rows for "(of N)" on every page is a needless full scan.
    show_full_result_count = False


@admin.register(Weight)
class WeightAdmin(BumpsWorkshop, admin.ModelAdmin):
    list_display = ("workshop", "criterion", "value")
    list_filter = ("workshop",)
    list_select_related = ("workshop", "criterion")
    search_fields = ("workshop__title", "criterion__code", "criterion__title")
    autocomplete_fields = ("workshop", "criterion")


@admin.register(AnalystWeight)
class AnalystWeightAdmin(BumpsWorkshop, admin.ModelAdmin):
    """An analyst's own input for a criterion, when analysts weight the criteria."""

    list_display = ("workshop", "analyst", "criterion", "weighting", "value")
    list_filter = ("workshop", "weighting")
    list_select_related = ("workshop", "analyst", "criterion")
    search_fields = ("workshop__title", "analyst__username", "criterion__code")
    autocomplete_fields = ("workshop", "analyst", "criterion")


@admin.register(MemoPDF)
class MemoPDFAdmin(admin.ModelAdmin):
    """The memo cache: look and delete (the next download renders afresh), never edit."""

    list_display = ("workshop", "revision", "version", "page_size", "pages", "size_kb",
                    "render_seconds", "created_at")
    list_filter = ("version", "page_size")
    list_select_related = ("workshop",)
    search_fields = ("workshop__title",)
    exclude = ("pdf",)

    @admin.display(description="size (KB)")
    def size_kb(self, memo) -> int:
        return round(len(memo.pdf) / 1024)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LockedRecord)
class LockedRecordAdmin(admin.ModelAdmin):
    """What a locked workshop keeps (policy/workshops/record.py): look, never add or edit;
    unlocking the workshop removes it."""

    list_display = ("workshop", "revision", "method", "aggregation", "created_at")
    list_select_related = ("workshop",)
    search_fields = ("workshop__title",)
    exclude = ("results", "memo_html")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    """A workshop's history is a record: look, never add or edit."""

    list_display = ("at", "workshop", "user", "kind", "round", "option", "criterion",
                    "old_value", "new_value")
    list_filter = ("kind",)
    list_select_related = ("workshop", "user", "option", "criterion")
    search_fields = ("workshop__title", "user__username", "note")
    ordering = ("-at", "-id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Live log-ins: look, and delete one to end that session; never add or edit."""

    list_display = ("user", "started", "seen")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "started", "seen")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MemoSettings)
class MemoSettingsAdmin(admin.ModelAdmin):
    """The facilitators' memo lines, to look at: they are edited on the workshop's memo
    settings page, which refuses a locked workshop and moves the revision the memo cache
    is keyed by."""

    list_display = ("workshop", "addressee", "decision_deadline", "updated_at")
    list_select_related = ("workshop",)
    search_fields = ("workshop__title", "addressee")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MemoText)
class MemoTextAdmin(MemoSettingsAdmin):
    """Each round's memo words, to look at: written on the workshop's memo text page, which
    refuses a locked workshop, records the change in the history and moves the revision."""

    list_display = ("workshop", "round", "recommended", "updated_by", "updated_at")
    list_select_related = ("workshop", "recommended", "updated_by")
    search_fields = ("workshop__title",)
