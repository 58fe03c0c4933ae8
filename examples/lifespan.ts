/**
 * Lifespan: the twin of the guide's `@asynccontextmanager` `app_lifespan`.
 *
 * The lifespan is an async generator. Code before `yield` runs once, when the
 * server starts; the yielded value is `ctx.lifespan` in every handler, typed;
 * the `finally` block runs when the server closes.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

type Row = Record<string, string | number>;

/** A stand-in for a real database client: a few tables in memory. */
export class Database {
  /** Connections not yet closed, across all instances (lets tests check cleanup). */
  static openConnections = 0;
  #connected = true;
  readonly #tables = new Map<string, Row[]>([
    [
      "users",
      [
        { id: 1, name: "ada" },
        { id: 2, name: "grace" },
      ],
    ],
  ]);

  static async connect(): Promise<Database> {
    Database.openConnections++;
    return new Database();
  }

  /** Understands one statement: `SELECT * FROM <table>`. */
  async query(sql: string): Promise<Row[]> {
    if (!this.#connected) throw new Error("Database is disconnected");
    const match = /^\s*select\s+\*\s+from\s+(\w+)\s*;?\s*$/i.exec(sql);
    if (!match) throw new Error(`Unsupported SQL: ${sql}`);
    const rows = this.#tables.get(match[1]!.toLowerCase());
    if (!rows) throw new Error(`No such table: ${match[1]}`);
    return rows.map((row) => ({ ...row }));
  }

  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    Database.openConnections--;
  }
}

// Create server with lifespan. The yielded object's type becomes `ctx.lifespan`'s type.
export const mcp = new FastMCP("MyApp", {
  lifespan: async function* () {
    // Startup
    const db = await Database.connect();
    try {
      yield { db };
    } finally {
      // Shutdown
      await db.disconnect();
    }
  },
});

// Access lifespan context in tools
mcp.tool(
  "query_db",
  { description: "Execute database query.", input: { sql: z.string() } },
  async ({ sql }, ctx) => {
    const result = await ctx.lifespan.db.query(sql);
    return JSON.stringify(result);
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
