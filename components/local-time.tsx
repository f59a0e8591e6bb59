"use client";

import { useSyncExternalStore } from "react";

import { formatAbsolute, formatRelative, type TimeFormat } from "@/lib/ui/format";

// A shared clock for relative times ("5 minutes ago"), ticking every 30 s while any
// <LocalTime> is on screen. The server snapshot is null: the server renders UTC, and
// the browser switches to local time right after hydration, so the HTML the server
// sends and the first client render always match.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const clientNow = () => now;
const serverNow = () => null;

export function LocalTime({ iso, format = "datetime", className }: { iso: string; format?: TimeFormat; className?: string }) {
  const current = useSyncExternalStore(subscribe, clientNow, serverNow);
  const date = new Date(iso);
  const onClient = current !== null;

  const title = onClient ? formatAbsolute(date, "datetime", undefined, undefined) : formatAbsolute(date, "datetime", "UTC");
  let text: string;
  if (format === "relative") text = onClient ? formatRelative(date, current) : formatAbsolute(date, "date", "UTC");
  else text = onClient ? formatAbsolute(date, format) : formatAbsolute(date, format, "UTC");

  return (
    <time dateTime={iso} title={title} className={className}>
      {text}
    </time>
  );
}
