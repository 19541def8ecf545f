// Shapes the runners hand to every scenario case. Plain JSON except `hub`, so `Ctx` minus `hub`
// can cross into a browser page (page.evaluate) and a Worker (a POST body).

export interface FixtureFile {
  /** Path in the repo, unencoded ("données/été.txt"). */
  path: string;
  /** File content, base64. */
  base64: string;
  /** Size in bytes. */
  size: number;
}

export interface Fixtures {
  /** "test-user/fixtures-<hex>", public model repo. */
  publicRepo: string;
  /** "test-user/private-<hex>", private model repo. */
  privateRepo: string;
  files: FixtureFile[];
  privateFiles: FixtureFile[];
  /** Tree page size the Hub was started with (null if the server default). */
  pageSize: number | null;
}

export type Runtime = "node" | "chromium" | "workerd";

export interface Ctx<Hub = Record<string, any>> {
  /** The package entry for this runtime (dist/node.js, dist/index.js or dist/workerd.js). */
  hub: Hub;
  hubUrl: string;
  /** Write token of the default user ("test-user"). */
  token: string;
  /** Every token the Hub printed at startup, by user name (`other-user`), and `read`: a
   * read-only token of the default user. */
  tokens: Record<string, string>;
  fixtures: Fixtures;
  runtime: Runtime;
  /** Node only: writes `files` (path → text) into a new temporary folder and gives its path. */
  tempFolder?: (files: Record<string, string>) => Promise<string>;
}

export interface Case<Hub = Record<string, any>> {
  name: string;
  run(ctx: Ctx<Hub>): Promise<void>;
}
