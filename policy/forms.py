from django import forms

from .models import Criterion, Workshop

RATIONALE_MAX = 2000


class ScoreForm(forms.Form):
    """One cell of the grid: a value on the criterion's scale and why."""

    value = forms.FloatField(required=False)
    rationale = forms.CharField(required=False, max_length=RATIONALE_MAX, strip=True)
    round = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None:
            self.criterion.check_value(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("rationale") and "value" not in self.errors:
            self.add_error("value", "Give a score as well as a rationale.")
        return data


class WorkshopCreateForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "hide_scores", "anonymous", "aggregation", "method", "handling"]


class WorkshopSettingsForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "hide_scores", "anonymous", "aggregation", "method", "handling"]
