"""Cached pages carry the tracking ids (templates/includes/tracking.html): a change to them
must reach every page at once. Only TrackingSettings bumps the page cache; newsletter
sign-ups and reported purchases are invisible on pages and must not empty it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pagecache import tags
from pagecache.signals import invalidate_on_commit

from .models import TrackingSettings


@receiver(post_save, sender=TrackingSettings, dispatch_uid="marketing-tracking-saved")
@receiver(post_delete, sender=TrackingSettings, dispatch_uid="marketing-tracking-deleted")
def tracking_settings_changed(sender, **kwargs):
    invalidate_on_commit({tags.SITE})
