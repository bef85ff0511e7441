// The openapi-generator typescript-fetch client against a target (scripts/clients/target.ts says
// which environment variables name it). scripts/generate-clients compiles it with the client
// (tsc --strict, to dist/); run it with `node dist/usage.js`.
import { Configuration, GuestsApi, ResponseError, TripRestrictionType, VoucherCodesApi, VoucherProgramsApi } from "./index";
import type { ApiResponse, UpdateVoucherProgramRequest } from "./index";
import { ExampleError, run, target } from "./target";

/** The answer's status, which must be `expected`; an error answer becomes an ExampleError. */
async function expect<T>(what: string, expected: number, call: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  let answer: ApiResponse<T>;
  try {
    answer = await call();
  } catch (error) {
    if (error instanceof ResponseError) {
      throw new ExampleError(`${what}: ${error.response.status} (expected ${expected}): ${await error.response.text()}`);
    }
    throw error;
  }
  if (answer.raw.status !== expected) {
    throw new ExampleError(`${what}: ${answer.raw.status} (expected ${expected})`);
  }
  return answer;
}

run(async () => {
  const { baseUrl, organizationId, programId, token } = await target();
  // The client sends what accessToken returns as the whole Authorization header for OAuth 2.0
  // schemes, so the "Bearer " prefix is ours to add.
  const config = new Configuration({ basePath: baseUrl, accessToken: async () => `Bearer ${token}` });
  const ids = { organizationId, voucherProgramId: programId };

  const guests = await expect("guests", 200, () => new GuestsApi(config).getVoucherProgramGuestInfoRaw({ ...ids, limit: 2 }));
  const page = await guests.value();
  const contacts = (page.guests ?? []).map((guest) => guest.email ?? guest.phone ?? "(no contact)");
  console.log(`guests: 200, ${contacts.length} on the page: ${contacts.join(", ")}; next page: ${page.nextToken ? "yes" : "no"}`);

  const change: UpdateVoucherProgramRequest = {
    tripRestrictionType: TripRestrictionType.PickupOnly,
    pickupLocations: [{ address: "1455 Market St", radius: 25 }],
  };
  await expect("update", 204, () =>
    new VoucherProgramsApi(config).updateVoucherProgramRaw({ ...ids, updateVoucherProgramRequest: change }),
  );
  console.log("update: 204 (pickup only, 1455 Market St)");

  await expect("generate codes", 200, () =>
    new VoucherCodesApi(config).generateVoucherCodesRaw({ ...ids, generateVoucherCodesRequest: { numberOfCodes: 5 } }),
  );
  console.log("generate codes: 200 (5 codes)");
});
