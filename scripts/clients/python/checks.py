"""Run by scripts/generate-clients against the openapi-generator `python` client: it imports,
and its models keep the bounds of the description (no target needed; usage.py calls one)."""

from u4b_vouchers_openapi_client import ApiClient, Configuration, GuestsApi, VoucherProgramsApi
from u4b_vouchers_openapi_client.models.guest_list import GuestList
from u4b_vouchers_openapi_client.models.update_voucher_program_request import UpdateVoucherProgramRequest

client = ApiClient(Configuration(host="https://sandbox-api.uber.com", access_token="token"))
assert GuestsApi(client).get_voucher_program_guest_info
assert VoucherProgramsApi(client).update_voucher_program
page = GuestList.from_dict(
    {
        "guests": [
            {"email": "jane.doe@uber.com", "voucher": {"voucher_status": "VOUCHER_SENT", "usage_amount": "200"}}
        ],
        "next_token": "t",
    }
)
assert page is not None
assert page.next_token == "t"
change = UpdateVoucherProgramRequest.from_dict({"value_per_trip_percentage": 60, "vehicle_category_types": ["ECONOMY"]})
assert change is not None
assert change.to_dict() == {
    "value_per_trip_percentage": 60,
    "vehicle_category_types": ["ECONOMY"],
}
try:
    UpdateVoucherProgramRequest.from_dict({"value_per_trip_percentage": 100})
except ValueError:
    pass
else:
    raise AssertionError("the generated python client accepted a percentage of 100")
print("python client: imported and checked")
