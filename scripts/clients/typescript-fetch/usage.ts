// Compiled with `tsc --strict` against the openapi-generator typescript-fetch client.
import { Configuration, GuestsApi, VoucherCodesApi, VoucherProgramsApi, TripRestrictionType } from "./index";
import type { GuestList, UpdateVoucherProgramRequest } from "./index";

const config = new Configuration({ basePath: "https://sandbox-api.uber.com", accessToken: async () => "token" });

export async function example(organizationId: string, programId: string): Promise<number> {
  const guests = new GuestsApi(config);
  const page: GuestList = await guests.getVoucherProgramGuestInfo({ organizationId, voucherProgramId: programId, limit: 10 });
  const change: UpdateVoucherProgramRequest = {
    tripRestrictionType: TripRestrictionType.PickupOnly,
    pickupLocations: [{ address: "1455 Market St", radius: 25 }],
  };
  await new VoucherProgramsApi(config).updateVoucherProgram({ organizationId, voucherProgramId: programId, updateVoucherProgramRequest: change });
  await new VoucherCodesApi(config).generateVoucherCodes({ organizationId, voucherProgramId: programId, generateVoucherCodesRequest: { numberOfCodes: 5 } });
  return page.guests?.length ?? 0;
}
