from django import forms

SOURCES = ("footer", "article", "guide", "page")


class NewsletterForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    source = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    source_url = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    # A field people never see (hidden by CSS and aria-hidden) that bots fill in.
    website = forms.CharField(required=False, max_length=200)

    def caught_bot(self):
        return bool(self.data.get("website"))

    def clean_source(self):
        source = self.cleaned_data.get("source", "")
        return source if source in SOURCES else "page"

    def clean_source_url(self):
        path = self.cleaned_data.get("source_url", "")
        # A path on this site, nothing else.
        return path if path.startswith("/") and not path.startswith("//") else ""
