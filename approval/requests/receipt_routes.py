"""The office confirms receipt of a request filed on the portal (Art. 31), from the request's page:
the "confirm_receipt" action of ``queries.offered``, a POST like every other action there."""

from __future__ import annotations

from flask_babel import gettext
from flask_login import current_user

from approval.permissions import requests as may
from approval.platform.access import requires
from approval.requests import intake
from approval.requests.intake_forms import ConfirmReceiptForm
from approval.requests.routes import FORMS, _act, bp

FORMS["confirm_receipt"] = ConfirmReceiptForm


@bp.route("/requests/<id:request_id>/confirm-receipt", methods=["POST"])
@requires(may.can_open_register)
def confirm_receipt(request_id):
    return _act(
        request_id,
        "confirm_receipt",
        lambda r, f: intake.confirm_receipt(current_user, r, f.version.data, f.confirmed_on.data),
        lambda r, _: gettext(
            "已确认收到申请，收到申请之日为 %(day)s，答复期限自该日起计算",
            day=r.received_on.isoformat(),
        ),
    )
