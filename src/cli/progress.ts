// A one-line progress indicator for `check` on an interactive stderr: a spinner and how many
// sources have answered, redrawn in place and erased when done. Writes nothing at all when
// stderr is not a terminal, so cron mail and CI logs stay clean.

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;
/** Carriage return and erase-line: redraws without scrolling. */
const CLEAR_LINE = "\r\u001b[2K";

export interface Progress {
  /** Records one more finished source, named for the line. */
  advance(label: string): void;
  /** Erases the line and stops redrawing. */
  stop(): void;
}

export function startProgress(
  write: (text: string) => void,
  enabled: boolean,
  total: number,
): Progress {
  if (!enabled) return { advance: () => undefined, stop: () => undefined };
  let frame = 0;
  let done = 0;
  let last = "";
  const draw = (): void => {
    const text = `${FRAMES[frame % FRAMES.length] ?? ""} polling ${done}/${total} source${total === 1 ? "" : "s"}${last ? ` (${last} done)` : ""}`;
    write(`${CLEAR_LINE}${text}`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  return {
    advance: (label) => {
      done += 1;
      last = label;
      draw();
    },
    stop: () => {
      clearInterval(timer);
      write(CLEAR_LINE);
    },
  };
}
