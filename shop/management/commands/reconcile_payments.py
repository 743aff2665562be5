"""``manage.py reconcile_payments [--since 7d] [--fix]``: compare Stripe with the orders.

Lists every PaymentIntent that succeeded at Stripe without an order and every order whose
captured or refunded amount differs from Stripe's; ``--fix`` places the missing order where
the basket still exists (else refunds in full). Run it on a schedule (see the README); the
rules are in shop/payments/reconciliation.py.
"""

from django.core.management.base import BaseCommand, CommandError

from shop.payments import reconciliation
from shop.payments import stripe_gateway as gateway


class Command(BaseCommand):
    help = "Compare Stripe's PaymentIntents and refunds with the orders; --fix settles them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            default="7d",
            help="How far back to look: a number and m, h, d or w (default 7d).",
        )
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Place missing orders where the basket still exists, else refund in full.",
        )

    def handle(self, *args, since, fix, **options):
        try:
            window = reconciliation.parse_since(since)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not gateway.is_configured():
            raise CommandError("Stripe is not configured (STRIPE_SECRET_KEY is empty).")
        try:
            entries = reconciliation.reconcile(since=window, fix=fix)
        except gateway.GatewayError as exc:
            raise CommandError(f"Stripe could not be read: {exc}") from exc
        for entry in entries:
            self.stdout.write(
                f"{entry.get_problem_display()} | {entry.payment_intent_id or '-'} | "
                f"{entry.get_action_display()} | {entry.detail}"
            )
        fixed = sum(
            entry.action != reconciliation.Action.REPORTED
            and entry.action != reconciliation.Action.FIX_FAILED
            for entry in entries
        )
        summary = f"{len(entries)} difference(s) found since {since}"
        summary += f", {fixed} fixed." if fix else "."
        self.stdout.write(self.style.SUCCESS(summary) if not entries else summary)
