/**
 * Two servers side by side in one application: the twin of the guide's
 * "Multiple Servers". There is no session manager to start: each server
 * starts itself on its first request, and `close()` stops it. One `start`
 * and one `stop` cover the whole application.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

// `streamableHttpPath: "/"`: each server answers exactly where it is mounted.
export const echoMcp = new FastMCP("EchoServer", { statelessHttp: true, streamableHttpPath: "/" });
export const mathMcp = new FastMCP("MathServer", { statelessHttp: true, streamableHttpPath: "/" });

echoMcp.tool("echo", { input: { msg: z.string() } }, ({ msg }) => `Echo: ${msg}`);
mathMcp.tool("add", { input: { a: z.number().int(), b: z.number().int() } }, ({ a, b }) => a + b);

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

export async function start(port = 8000): Promise<RunningApp> {
  const app = express();
  app.use("/echo", echoMcp.nodeHandler());
  app.use("/math", mathMcp.nodeHandler());
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    async stop() {
      await Promise.all([echoMcp.close(), mathMcp.close()]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = await start();
  console.error(`Echo at ${app.url}/echo, math at ${app.url}/math`);
  process.once("SIGINT", () => void app.stop());
}
