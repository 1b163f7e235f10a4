from django.conf import settings

from thb_portal.navigation import navigation_for


def navigation(request):
    return {
        "navigation": navigation_for(request.user),
        "demo_mode": not settings.THB_ENFORCE_MFA,
        "mfa_enrolment_pending": getattr(request, "thb_mfa_enrolment_pending", False),
    }
