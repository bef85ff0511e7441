// Type-checked with `tsc --strict` against the openapi-typescript types (scripts/generate-clients).
// Valid payloads compile; each `@ts-expect-error` line must fail to compile, or tsc reports it.
import type { components, operations } from "./vouchers";

type Schemas = components["schemas"];

const update: Schemas["UpdateVoucherProgramRequest"] = {
  trip_restriction_type: "PICKUP_ONLY",
  pickup_locations: [{ address: "1455 Market St", radius: 25, latitude: 37.77, longitude: -122.41 }],
  vehicle_category_types: ["ECONOMY", "PREMIUM"],
  value_recurrence_period: "MONTHLY",
};

const create: Schemas["CreateIndividualVoucherProgramRequest"] = {
  template_uuid: "66e129f6-7020-4ac5-9166-b71d68fb82af",
  program_uuid: "5b1b4b8e-3f0a-4c44-9d0e-2f6f7f0f2a11",
  owner_uuid: "a283a599-989f-4e5f-860d-d2d3af36b692",
  owner_type: "ORGANIZATION",
  name: "Voucher Template",
  display_name: "Jane Doe",
  starts_at: 1798761600000,
  ends_at: 1801440000000,
  mobile_number: "+14155550123",
};

// @ts-expect-error: neither email_address nor mobile_number (CRT-CONTACT-REQUIRED)
const noContact: Schemas["CreateIndividualVoucherProgramRequest"] = {
  template_uuid: "66e129f6-7020-4ac5-9166-b71d68fb82af",
  program_uuid: "5b1b4b8e-3f0a-4c44-9d0e-2f6f7f0f2a11",
  owner_uuid: "a283a599-989f-4e5f-860d-d2d3af36b692",
  owner_type: "ORGANIZATION",
  name: "Voucher Template",
  display_name: "Jane Doe",
  starts_at: 1798761600000,
  ends_at: 1801440000000,
};

// @ts-expect-error: not one of the four restriction types (UPD-TRIP-RESTRICTION-ENUM)
const badType: Schemas["UpdateVoucherProgramRequest"] = { trip_restriction_type: "ANYWHERE" };

// @ts-expect-error: a location needs an address (UPD-LOCATION-ADDRESS-REQUIRED)
const noAddress: Schemas["Location"] = { radius: 50 };

const page: operations["getVoucherProgramGuestInfo"]["responses"][200]["content"]["application/json"] = {
  guests: [{ email: "jane.doe@uber.com", voucher: { voucher_status: "VOUCHER_SENT", usage_amount: "200" } }],
};

export { update, create, noContact, badType, noAddress, page };
