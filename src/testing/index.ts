/** fastmcp-ts/testing: drive a server in-process from your own tests. */

export { MemoryTransport } from "../transports/memory.js";
export {
  type CallOptions,
  createTestClient,
  type InputHandler,
  TestClient,
  type TestClientOptions,
} from "./client.js";
