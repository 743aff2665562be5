"""Public forms: a comment ("Leave a Reply") and a download-offer request."""

from django import forms

from config.fields import IdField


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS and aria-hidden) that bots fill in."""

    website = forms.CharField(required=False, max_length=200, label="Leave this field empty")

    def caught_bot(self):
        return bool(self.data.get("website"))


class CommentForm(HoneypotMixin, forms.Form):
    """The fields of ``ArticleComment`` a reader fills in (same lengths as the model's);
    views.post_comment stores the comment through services. A plain form, so the article
    page (blog/models.py) can offer it without this module importing the models."""

    name = forms.CharField(max_length=80)
    email = forms.EmailField(
        max_length=254, label="Email (never shown)", help_text="Never shown on the site."
    )
    text = forms.CharField(
        max_length=5000,
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
    )
    parent = IdField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "email", "text", "website", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "email", "text"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        self.fields["name"].widget.attrs.update({"maxlength": 80, "autocomplete": "name"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Please tell us your name.")
        return name

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Please write a comment.")
        return text


class LeadForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(max_length=254, label="Your email")
    marketing_consent = forms.BooleanField(
        required=False,
        label="Yes, email me occasional tips and offers. I can unsubscribe at any time.",
    )
    page = IdField(widget=forms.HiddenInput)
    document = IdField(widget=forms.HiddenInput)
