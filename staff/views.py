"""TOTP two-factor sign-in for staff (django-otp): set up an authenticator, then confirm a
code after each password sign-in. Whether it is required is decided in middleware.py."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or "/dashboard/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/dashboard/"


def _staff_only(view):
    @login_required(login_url="/dashboard/login/")
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            return render(
                request,
                "support/dashboard/forbidden.html",
                {"message": "Two-factor sign-in here is for staff accounts."},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


@_staff_only
def otp_setup(request):
    """Show a QR code for a new, unconfirmed device; a correct code confirms it."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            return redirect(_next_url(request))
        error = "That code didn't match. Check the time on your phone and try again."
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return render(
        request,
        "support/otp_setup.html",
        {
            "qr_svg_base64": base64.b64encode(buffer.getvalue()).decode(),
            "secret": base64.b32encode(device.bin_key).decode(),
            "has_device": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "error": error,
            "next": _next_url(request),
        },
        status=400 if error else 200,
    )


@_staff_only
def otp_verify(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return redirect(f"/dashboard/2fa/setup/?next={_next_url(request)}")
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip()
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        error = "That code didn't match. Try the newest code from your authenticator app."
    return render(
        request,
        "support/otp_verify.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )
