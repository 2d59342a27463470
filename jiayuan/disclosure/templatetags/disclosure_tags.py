from django import template

from ..masking import mask_personal

register = template.Library()


@register.filter(name="mask_personal")
def mask_personal_filter(value):
    """Identity and mobile numbers masked (:mod:`jiayuan.disclosure.masking`)."""
    return mask_personal(value)
