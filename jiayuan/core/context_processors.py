def roles(request):
    """Expose the signed-in user's scope to templates (navigation differs by role)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from jiayuan.accounts.scope import get_scope

    return {"scope": get_scope(user)}
