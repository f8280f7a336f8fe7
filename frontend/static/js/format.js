// Formatting of numbers, dates and Bates ranges, in one place.

import { ENTITY_TYPE_LABELS } from "./fields.js";

const numberFormat = new Intl.NumberFormat("en-US");

export function num(n) {
  return numberFormat.format(n ?? 0);
}

export function plural(n, one, many = `${one}s`) {
  return `${num(n)} ${n === 1 ? one : many}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2019-06-30" -> "Jun 30, 2019" (no time zone shifts: the date is parsed as text). */
export function date(iso) {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}`;
}

export function timestamp(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A bucket's start date as a label for its interval. */
export function bucketLabel(start, interval) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(start || "");
  if (!m) return start;
  const [, y, mo, d] = m;
  switch (interval) {
    case "year":
      return y;
    case "quarter":
      return `${y} Q${Math.floor((Number(mo) - 1) / 3) + 1}`;
    case "month":
      return `${MONTHS[Number(mo) - 1]} ${y}`;
    default:
      return `${MONTHS[Number(mo) - 1]} ${Number(d)}, ${y}`;
  }
}

/** The last day of the bucket starting at `start` (ISO), for turning a bucket into a date range. */
export function bucketEnd(start, interval) {
  const [y, m, d] = start.split("-").map(Number);
  let end;
  switch (interval) {
    case "year":
      end = new Date(Date.UTC(y + 1, 0, 1));
      break;
    case "quarter":
      end = new Date(Date.UTC(y, m - 1 + 3, 1));
      break;
    case "month":
      end = new Date(Date.UTC(y, m, 1));
      break;
    case "week":
      end = new Date(Date.UTC(y, m - 1, d + 7));
      break;
    default:
      end = new Date(Date.UTC(y, m - 1, d + 1));
  }
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export function batesRange(begin, end) {
  if (!begin) return "";
  return end && end !== begin ? `${begin} – ${end}` : begin;
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** ["Vendors", "Products", "People"] -> "Vendors, products and people" */
export function listOf(headings) {
  const words = headings.map((w, i) => (i ? w.toLowerCase() : w));
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}` : words.join("");
}

export function entityTypeLabel(type) {
  return ENTITY_TYPE_LABELS[type] || (type ? type[0].toUpperCase() + type.slice(1) : "");
}

/** "b7C" -> "(b)(7)(C)"; anything else unchanged. */
export function exemptionLabel(code) {
  const m = /^b(\d)([A-F])?$/i.exec(String(code || ""));
  if (!m) return code;
  return `(b)(${m[1]})${m[2] ? `(${m[2].toUpperCase()})` : ""}`;
}

/** "text:memo_date" -> "memo date" */
// Where a document's date was read, said as what it is (nlp/docdate.py's sources): a memo's DATE line is
// not an email's date, and a PDF's creation date is the day it was made, not the day the record bears.
const DATE_SOURCES = {
  "text:memo_date": "the memo's Date line",
  "text:header_date": "the Date line of its To/From header",
  "text:email_date": "the email's Date line",
  "text:email_sent": "the email's Sent line",
  "text:letter_date": "the letter's dateline",
  "text:date_line": "a Date line on its first pages",
  "text:form_date": "a date field of the form",
  "text:signature_date": "the date beside its signature",
  "text:first_date": "the first date its text states",
  "metadata:creation": "the PDF's creation date (metadata, not the text)",
  "metadata:modification": "the PDF's modification date (metadata, not the text)",
};

/** "text:memo_date" -> "the memo's Date line"; an unknown source reads as its words. */
export function dateSource(source) {
  const known = DATE_SOURCES[source];
  if (known) return known;
  return `the ${String(source || "").replace(/^[a-z]+:/, "").replace(/_/g, " ")}`;
}
