from django.shortcuts import redirect


def home(request):
    """Send each person to where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_support_staff:
        return redirect("tickets:queue")
    return redirect("tickets:list")
