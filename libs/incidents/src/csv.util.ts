/**
 * CSV as RFC 4180 describes it (CRLF lines, fields quoted when they hold a comma, quote or line
 * break, quotes doubled), made safe to open in a spreadsheet: a text cell that starts with = + - @
 * or a tab / carriage return would be read as a formula (CSV injection), so it gets a leading
 * apostrophe. Numbers, booleans and dates are written as they are.
 */
export type CsvCell = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole document; the byte-order mark makes spreadsheet programs read it as UTF-8. */
export function csvDocument(header: string[], rows: CsvCell[][]): string {
  return `\uFEFF${csvLine(header)}${rows.map(csvLine).join('')}`;
}
