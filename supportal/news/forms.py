from django import forms
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product

from .models import Post


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    blog_digest = forms.BooleanField(
        required=False, initial=True, label=_("Blog and news digest (weekly)")
    )
    api_changes = forms.BooleanField(
        required=False, label=_("API changes, as soon as they are published")
    )


class NewsFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", _("News and blog")), *Post.Kind.choices])
    product = forms.ModelChoiceField(
        required=False,
        queryset=Product.objects.filter(active=True),
        to_field_name="slug",
        empty_label=_("All products"),
    )
    api = forms.BooleanField(required=False, label=_("API changes only"))
