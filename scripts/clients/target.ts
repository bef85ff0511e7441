// Where the examples call and with which token, from the environment (shared by the TypeScript
// examples; scripts/generate-clients copies it beside each one):
//   U4B_BASE_URL         the API, e.g. the address `u4b-vouchers serve` prints
//   U4B_TOKEN_URL        the token endpoint (default: U4B_BASE_URL + /oauth/v2/token, as served)
//   U4B_ACCESS_TOKEN     a token to use as it is; otherwise a client-credentials token is fetched
//   U4B_CLIENT_ID, U4B_CLIENT_SECRET, U4B_SCOPE (default organizations.voucher_programs)
//   U4B_ORGANIZATION_ID  the organization
//   U4B_PROGRAM_ID       a multi-code program of it (the examples update it and add codes)

export interface Target {
  baseUrl: string;
  organizationId: string;
  programId: string;
  /** The access token alone; the Authorization header is `Bearer <token>`. */
  token: string;
}

/** A problem the example reports in one line before it exits non-zero. */
export class ExampleError extends Error {
  constructor(message: string, readonly exitCode: number = 1) {
    super(message);
  }
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new ExampleError(`${name} is not set`, 2);
  }
  return value;
}

/** The target, with a token fetched from its token endpoint unless U4B_ACCESS_TOKEN gives one. */
export async function target(): Promise<Target> {
  const baseUrl = setting("U4B_BASE_URL").replace(/\/+$/, "");
  const organizationId = setting("U4B_ORGANIZATION_ID");
  const programId = setting("U4B_PROGRAM_ID");
  const given = process.env["U4B_ACCESS_TOKEN"];
  if (given) {
    console.log("token: U4B_ACCESS_TOKEN");
    return { baseUrl, organizationId, programId, token: given };
  }
  const tokenUrl = process.env["U4B_TOKEN_URL"] || `${baseUrl}/oauth/v2/token`;
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: setting("U4B_CLIENT_ID"),
    client_secret: setting("U4B_CLIENT_SECRET"),
    scope: process.env["U4B_SCOPE"] || "organizations.voucher_programs",
  });
  const response = await fetch(tokenUrl, { method: "POST", body: form });
  if (response.status !== 200) {
    throw new ExampleError(`token: ${response.status} from ${tokenUrl}: ${await response.text()}`);
  }
  const body = (await response.json()) as { access_token?: unknown; token_type?: unknown };
  if (typeof body.access_token !== "string") {
    throw new ExampleError(`token: no access_token in the answer of ${tokenUrl}`);
  }
  console.log(`token: 200 from ${tokenUrl} (${String(body.token_type)})`);
  return { baseUrl, organizationId, programId, token: body.access_token };
}

/** Run an example: an ExampleError or any other failure is one line and a non-zero exit code. */
export function run(example: () => Promise<void>): void {
  example().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      const code = error instanceof ExampleError ? error.exitCode : 1;
      console.error(`example: error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = code;
    },
  );
}
