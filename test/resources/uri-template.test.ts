/** RFC 6570 templates: expansion (the RFC's own examples), matching edge cases, and which template serves a URI. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UriTemplate } from "../../src/components/uri-template.ts";
import { FastMCP } from "../../src/index.ts";

const RFC_VARIABLES = {
  var: "value",
  hello: "Hello World!",
  half: "50%",
  empty: "",
  undef: undefined,
  path: "/foo/bar",
  base: "http://example.com/home/",
  list: ["red", "green", "blue"],
  x: "1024",
  y: "768",
};

describe("expansion: RFC 6570 section 3 examples", () => {
  const cases: [string, string][] = [
    ["{var}", "value"],
    ["{hello}", "Hello%20World%21"],
    ["{half}", "50%25"],
    ["O{empty}X", "OX"],
    ["O{undef}X", "OX"],
    ["{x,y}", "1024,768"],
    ["{x,hello,y}", "1024,Hello%20World%21,768"],
    ["?{x,empty}", "?1024,"],
    ["?{x,undef}", "?1024"],
    ["{var:3}", "val"],
    ["{var:30}", "value"],
    ["{list}", "red,green,blue"],
    ["{list*}", "red,green,blue"],
    ["{+var}", "value"],
    ["{+hello}", "Hello%20World!"],
    ["{+half}", "50%25"],
    ["{base}index", "http%3A%2F%2Fexample.com%2Fhome%2Findex"],
    ["{+base}index", "http://example.com/home/index"],
    ["{+path:6}/here", "/foo/b/here"],
    ["{+list}", "red,green,blue"],
    ["{#var}", "#value"],
    ["{#hello}", "#Hello%20World!"],
    ["{#path:6}/here", "#/foo/b/here"],
    ["X{.var}", "X.value"],
    ["X{.x,y}", "X.1024.768"],
    ["X{.list*}", "X.red.green.blue"],
    ["{/var}", "/value"],
    ["{/var,x}/here", "/value/1024/here"],
    ["{/list*}", "/red/green/blue"],
    ["{/list*,path:4}", "/red/green/blue/%2Ffoo"],
    ["{;x,y}", ";x=1024;y=768"],
    ["{;x,y,empty}", ";x=1024;y=768;empty"],
    ["{;list*}", ";list=red;list=green;list=blue"],
    ["{?x,y}", "?x=1024&y=768"],
    ["{?x,y,empty}", "?x=1024&y=768&empty="],
    ["{?list*}", "?list=red&list=green&list=blue"],
    ["{&x}", "&x=1024"],
    ["?fixed=yes{&x}", "?fixed=yes&x=1024"],
  ];
  for (const [template, expected] of cases) {
    test(`${template} → ${expected}`, () => {
      assert.equal(new UriTemplate(template).expand(RFC_VARIABLES), expected);
    });
  }

  test("non-ASCII is UTF-8 percent-encoded", () => {
    assert.equal(new UriTemplate("x://{v}").expand({ v: "café ☕" }), "x://caf%C3%A9%20%E2%98%95");
  });
});

describe("matching", () => {
  const match = (template: string, uri: string) => new UriTemplate(template).match(uri);

  test("one simple variable, percent-decoded", () => {
    assert.deepEqual(match("file://documents/{doc_id}", "file://documents/readme"), {
      doc_id: "readme",
    });
    assert.deepEqual(match("file://documents/{doc_id}", "file://documents/a%20b%2Fc"), {
      doc_id: "a b/c",
    });
    assert.deepEqual(match("file://documents/{doc_id}", "file://documents/caf%C3%A9"), {
      doc_id: "café",
    });
  });

  test("a malformed percent escape does not match", () => {
    assert.equal(match("file://documents/{doc_id}", "file://documents/%zz"), undefined);
    assert.equal(match("file://documents/{doc_id}", "file://documents/%E2%82"), undefined);
  });

  test("{var} stops at reserved delimiters; {+var} spans them", () => {
    assert.equal(match("file://documents/{doc_id}", "file://documents/a/b"), undefined);
    assert.equal(match("file://documents/{doc_id}", "file://documents/a?b"), undefined);
    assert.equal(match("file://documents/{doc_id}", "file://documents/a#b"), undefined);
    assert.deepEqual(match("file:///{+path}", "file:///src/lib/a%20b.ts"), {
      path: "src/lib/a b.ts",
    });
    assert.deepEqual(match("file:///{+path}", "file:///a/b?c#d"), { path: "a/b?c#d" });
    // Reserved characters other than / ? # are accepted in a simple value, as clients send them.
    assert.deepEqual(match("mailto:{address}", "mailto:ada@example.com"), {
      address: "ada@example.com",
    });
  });

  test("several parameters", () => {
    assert.deepEqual(match("data://{category}/{item_id}", "data://books/42"), {
      category: "books",
      item_id: "42",
    });
    assert.deepEqual(match("x://{a}-{b}", "x://left-right"), { a: "left", b: "right" });
    assert.deepEqual(match("x://{a,b}", "x://1,2"), { a: "1", b: "2" });
    assert.deepEqual(match("x://{a,b}", "x://1"), { a: "1" }, "later list values may be absent");
    assert.deepEqual(match("x://f{.ext}", "x://f.json"), { ext: "json" });
    assert.deepEqual(match("x://f{#frag}", "x://f#a/b"), { frag: "a/b" });
    assert.deepEqual(match("x://api{/version,res}", "x://api/v2/users"), {
      version: "v2",
      res: "users",
    });
  });

  test("query parameters: any order, optional, unknown ones ignored", () => {
    const template = "search://items{?q,page}";
    assert.deepEqual(match(template, "search://items?q=red%20shoes&page=2"), {
      q: "red shoes",
      page: "2",
    });
    assert.deepEqual(match(template, "search://items?page=2&q=x"), { q: "x", page: "2" });
    assert.deepEqual(match(template, "search://items"), {});
    assert.deepEqual(match(template, "search://items?utm=1&q="), { q: "" });
    assert.deepEqual(match("file:///{+path}{?rev}", "file:///a/b.txt?rev=3"), {
      path: "a/b.txt",
      rev: "3",
    });
    assert.deepEqual(match("search?lang=en{&q}", "search?lang=en&q=z"), { q: "z" });
    assert.equal(match(template, "search://items?q=%zz"), undefined);
  });

  test("explode gives lists", () => {
    assert.deepEqual(match("x://{list*}", "x://a,b,c"), { list: ["a", "b", "c"] });
    assert.deepEqual(match("file://{/path*}", "file:///a/b%20c/d"), {
      path: ["a", "b c", "d"],
    });
    assert.deepEqual(match("s://x{?tag*}", "s://x?tag=a&tag=b"), { tag: ["a", "b"] });
    assert.deepEqual(match("m://x{;p*}", "m://x;p=1;p=2"), { p: ["1", "2"] });
  });

  test("path parameters: present, empty, absent", () => {
    assert.deepEqual(match("m://x{;p,q}", "m://x;p=1;q"), { p: "1", q: "" });
    assert.deepEqual(match("m://x{;p,q}", "m://x"), {});
  });

  test("no match", () => {
    const template = "data://{category}/{item_id}";
    assert.equal(match(template, "other://books/42"), undefined, "another scheme");
    assert.equal(match(template, "data://books"), undefined, "a missing segment");
    assert.equal(match(template, "data://books/42/extra"), undefined, "an extra segment");
    assert.equal(match(template, "data:///42"), undefined, "an empty value");
    assert.equal(match(template, "DATA://books/42"), undefined, "literals are exact");
  });

  test("expand then match gives the values back", () => {
    const values = { owner: "a b", repo: "c/d", rev: "é", tags: ["x", "y z"] };
    const template = new UriTemplate("gh://{owner}/{repo}{?rev,tags*}");
    assert.deepEqual(template.match(template.expand(values)), values);
  });
});

describe("parsing", () => {
  const errors: [string, RegExp][] = [
    ["x://{", /never closed/],
    ["x://}", /closes nothing/],
    ["x://{}", /empty expression/],
    ["x://{=x}", /reserved by RFC 6570/],
    ["x://{a}/{a}", /appears twice/],
    ["x://{a:0}", /prefix length/],
    ["x://{a b}", /not a valid variable name/],
    ["x://{a{b}}", /cannot nest/],
    ["x://{__proto__}", /not a valid variable name/],
  ];
  for (const [template, message] of errors) {
    test(`${template} is refused`, () => {
      assert.throws(() => new UriTemplate(template), message);
    });
  }

  test("a bad template fails at registration, with the template in the message", () => {
    const mcp = new FastMCP("bad");
    assert.throws(() => mcp.resource("x://{", () => ""), /URI template "x:\/\/\{"/);
    assert.throws(() => mcp.resource("no-scheme/{id}", () => ""), /needs a scheme/);
    assert.throws(() => mcp.resource("settings", () => ""), /needs a scheme/);
  });
});

describe("which resource serves a URI", () => {
  async function served(mcp: FastMCP, uri: string): Promise<string | undefined> {
    const { contents } = await mcp.readResource(uri);
    return (contents[0] as { text?: string }).text;
  }

  test("a fixed URI wins over a template that matches it too", async () => {
    const mcp = new FastMCP("ambiguous");
    mcp.resource("data://{name}", ({ name }) => `template ${name}`);
    mcp.resource("data://special", () => "static");
    assert.equal(await served(mcp, "data://special"), "static");
    assert.equal(await served(mcp, "data://other"), "template other");
  });

  test("the most specific template wins, whatever the registration order", async () => {
    const mcp = new FastMCP("ambiguous");
    mcp.resource("file:///{+path}", ({ path }) => `any ${path}`);
    mcp.resource("file:///docs/{name}", ({ name }) => `doc ${name}`);
    mcp.resource("file:///docs/{name}/raw", ({ name }) => `raw ${name}`);
    assert.equal(await served(mcp, "file:///docs/a"), "doc a");
    assert.equal(await served(mcp, "file:///docs/a/raw"), "raw a");
    assert.equal(await served(mcp, "file:///docs/a/b"), "any docs/a/b");
    assert.equal(await served(mcp, "file:///src/x.ts"), "any src/x.ts");
  });

  test("equally specific templates: a single-segment one before one that spans, then the first registered", async () => {
    const mcp = new FastMCP("ambiguous");
    mcp.resource("x://{+rest}", ({ rest }) => `rest ${rest}`);
    mcp.resource("x://{one}", ({ one }) => `one ${one}`);
    mcp.resource("x://{other}", ({ other }) => `other ${other}`);
    assert.equal(await served(mcp, "x://a"), "one a");
    assert.equal(await served(mcp, "x://a/b"), "rest a/b");
  });

  test("a disabled template no longer matches, and the next one does", async () => {
    const mcp = new FastMCP("ambiguous");
    const docs = mcp.resource("file:///docs/{name}", ({ name }) => `doc ${name}`);
    mcp.resource("file:///{+path}", ({ path }) => `any ${path}`);
    docs.disable();
    assert.equal(await served(mcp, "file:///docs/a"), "any docs/a");
    docs.enable();
    assert.equal(await served(mcp, "file:///docs/a"), "doc a");
  });
});

describe("parameter types come from the URI string", () => {
  test("handlers see exactly the template's parameters", async () => {
    const mcp = new FastMCP("types");
    mcp.resource("t://{dir}/{name}{/rest*}{?rev}", (params) => {
      const dir: string = params.dir;
      const name: string = params.name;
      const rev: string | undefined = params.rev;
      const rest: string[] = params.rest;
      // @ts-expect-error not a parameter of this template
      void params.other;
      return [dir, name, rev ?? "-", rest.join("+")].join(" ");
    });
    mcp.resource("t://fixed", (params) => {
      // @ts-expect-error a fixed URI has no parameters
      void params.anything;
      return "fixed";
    });
    assert.throws(
      () =>
        mcp.resource(
          "t://{owner}/{repo}/completed",
          // @ts-expect-error completers are keyed by the template's parameters
          { complete: { nope: () => [] } },
          () => "",
        ),
      /cannot complete "nope", which is not one of its arguments \(owner, repo\)/,
    );
    const { contents } = await mcp.readResource("t://d/n/x/y?rev=2");
    assert.equal((contents[0] as { text: string }).text, "d n 2 x+y");
  });
});
