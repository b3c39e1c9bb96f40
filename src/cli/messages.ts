/**
 * Messages the CLI prints about a run (not findings): each says what happened and why, so that an
 * exit code or a silent default never has to be guessed at.
 */

/** Why `--max-warnings` turned a run without errors into exit 1. */
export function tooManyWarnings(warnings: number, max: number): string {
  return `${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${max} allows: exit 1`;
}

/**
 * A source locale (`--source-locale` or the config's `sourceLocale`) that no page of the run is in
 * is no authority at all: said, instead of being accepted silently (a typo such as `en-us-x`, or a
 * config written for another doc set). Null when the locale has pages.
 */
export function sourceLocaleWarning(locale: string, from: string, locales: readonly string[]): string | null {
  const lower = locale.toLowerCase();
  if (locales.some((l) => l.toLowerCase() === lower)) return null;
  const found = locales.length > 0 ? `the pages are in ${locales.join(', ')}` : 'no page has a locale';
  return (
    `${from} ${locale}: no page is in that locale (${found}), so none was the authority: ` +
    'each page group was judged by its majority, as with no source locale'
  );
}

/**
 * A progress line cut to the terminal's width (a wrapped `\r` line scrolls instead of redrawing).
 * Counted in code points: the lines are plain text without colour codes.
 */
export function fitLine(text: string, columns: number): string {
  const chars = [...text];
  const room = Math.max(10, columns - 1);
  return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
}
