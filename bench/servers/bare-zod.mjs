// The floor of any server that describes its tools with zod: the bare ceiling
// after importing zod and building the same schemas (which it never uses).
// What a zod-based framework adds to start-up and memory is measured against
// this, not against the bare server.
import "./tools.mjs";
import "./bare.mjs";
