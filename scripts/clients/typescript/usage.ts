// The openapi-typescript types against a target, with the platform's fetch: each path, query,
// body and answer is typed from `paths` (scripts/clients/target.ts says which environment
// variables name the target). scripts/generate-clients compiles it (tsc --strict, to dist/);
// run it with `node dist/usage.js`.
import type { paths } from "./vouchers";
import { ExampleError, run, target } from "./target";

const program = "/v1/organizations/{organization_id}/voucher-programs/{voucher_program_id}";
const guests = `${program}/guests` as const;
const codes = `${program}/codes/generate` as const;

type GuestQuery = NonNullable<paths[typeof guests]["get"]["parameters"]["query"]>;
type GuestPage = paths[typeof guests]["get"]["responses"][200]["content"]["application/json"];
type Update = paths[typeof program]["patch"]["requestBody"]["content"]["application/json"];
type Generate = paths[typeof codes]["post"]["requestBody"]["content"]["application/json"];

/** A path of the description with its parameters filled in. */
function fill<P extends keyof paths>(path: P, parameters: paths[P]["parameters"]["path"]): string {
  const values: Record<string, string> = parameters;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
}

run(async () => {
  const { baseUrl, organizationId, programId, token } = await target();
  const ids = { organization_id: organizationId, voucher_program_id: programId };
  const authorization = { Authorization: `Bearer ${token}` };

  async function send(what: string, expected: number, url: string, init: RequestInit): Promise<Response> {
    const headers = init.body === undefined ? authorization : { ...authorization, "Content-Type": "application/json" };
    const answer = await fetch(url, { ...init, headers });
    if (answer.status !== expected) {
      throw new ExampleError(`${what}: ${answer.status} (expected ${expected}): ${await answer.text()}`);
    }
    return answer;
  }

  const query: GuestQuery = { limit: 2 };
  const pageUrl = `${baseUrl}${fill(guests, ids)}?limit=${query.limit ?? ""}`;
  const page = (await (await send("guests", 200, pageUrl, { method: "GET" })).json()) as GuestPage;
  const contacts = (page.guests ?? []).map((guest) => guest.email ?? guest.phone ?? "(no contact)");
  console.log(`guests: 200, ${contacts.length} on the page: ${contacts.join(", ")}; next page: ${page.next_token ? "yes" : "no"}`);

  const change: Update = { trip_restriction_type: "PICKUP_ONLY", pickup_locations: [{ address: "1455 Market St", radius: 25 }] };
  await send("update", 204, `${baseUrl}${fill(program, ids)}`, { method: "PATCH", body: JSON.stringify(change) });
  console.log("update: 204 (pickup only, 1455 Market St)");

  const request: Generate = { number_of_codes: 5 };
  await send("generate codes", 200, `${baseUrl}${fill(codes, ids)}`, { method: "POST", body: JSON.stringify(request) });
  console.log("generate codes: 200 (5 codes)");
});
