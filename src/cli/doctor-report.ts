/** `doctor`'s checklist: one line per check, printed as it is found, and what to do for each failure. */

const MARKS = { ok: "✓", fail: "✗", warn: "!", info: "·" } as const;
export type Mark = keyof typeof MARKS;

export interface CheckLine {
  readonly mark: Mark;
  readonly title: string;
  readonly detail?: readonly string[];
  readonly fix?: string;
}

export class Report {
  readonly #lines: CheckLine[] = [];
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  add(line: CheckLine): void {
    this.#lines.push(line);
    let text = `${MARKS[line.mark]} ${line.title}\n`;
    for (const detail of line.detail ?? []) text += `    ${detail}\n`;
    if (line.fix !== undefined) text += `    fix: ${line.fix}\n`;
    this.#write(text);
  }

  ok(title: string, ...detail: string[]): void {
    this.add({ mark: "ok", title, detail });
  }

  info(title: string, ...detail: string[]): void {
    this.add({ mark: "info", title, detail });
  }

  warn(title: string, fix: string | undefined, ...detail: string[]): void {
    this.add({ mark: "warn", title, detail, ...(fix === undefined ? {} : { fix }) });
  }

  fail(title: string, fix: string, ...detail: string[]): void {
    this.add({ mark: "fail", title, detail, fix });
  }

  get failed(): boolean {
    return this.#lines.some((line) => line.mark === "fail");
  }

  /** The closing count: failures, warnings, passes. */
  summary(): string {
    const count = (mark: Mark) => this.#lines.filter((line) => line.mark === mark).length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    return `${plural(count("fail"), "failure")}, ${plural(count("warn"), "warning")}, ${count("ok")} passed`;
  }
}
