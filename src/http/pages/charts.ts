// Charts drawn on the server as inline SVG, for pages under our Content-Security-Policy: no script, no
// style attribute. Geometry goes in presentation attributes (x, y, width, height), colours and type
// in classes of /static/style.css (chart-*), so that dark mode follows the stylesheet's variables.
//
// Every chart is an image with a name and a description (role="img", <title>, <desc>); each bar has its
// own <title> (the exact figure, shown on hover); the pages put a table of the same numbers beside it.
// Numbers are formatted with Intl in the page's language, and the few words a chart adds to its
// figures (a bar's title) come from the catalogue. The functions are pure: data in, markup out.

import { ENGLISH, type Lang, type Words } from '../i18n/index.js';
import { html, raw, type SafeHtml } from './html.js';

const compacts = new Map<Lang, Intl.NumberFormat>();
const percents = new Map<Lang, Intl.NumberFormat>();
function cached(m: Map<Lang, Intl.NumberFormat>, lang: Lang, o: Intl.NumberFormatOptions) {
  let f = m.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang, o);
    m.set(lang, f);
  }
  return f;
}

/** 12,345 (12.345 in Dutch) */
export const formatNumber = (n: number, w: Words = ENGLISH): string => w.number(n);
/** 12.3K, for axis labels (12,3K in Dutch). */
export const formatCompact = (n: number, w: Words = ENGLISH): string =>
  cached(compacts, w.lang, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
/** 42.5% (42,5% in Dutch) */
export const formatPercent = (share: number, w: Words = ENGLISH): string =>
  cached(percents, w.lang, { style: 'percent', maximumFractionDigits: 1 }).format(share);

/** A series of values drawn in one colour: `cls` names its fill in the stylesheet (chart-fill-*). */
export interface Series {
  key: string;
  label: string;
  cls: string;
  values: number[];
}

export interface ChartText {
  /** The id prefix of the chart's title and description (unique in the page). */
  id: string;
  title: string;
  desc: string;
  /** The page's words: its numbers and the titles of its bars. Default English. */
  words?: Words;
}

/** Coordinates are rounded to tenths: shorter markup, no visible difference. */
const r = (v: number): string => String(Math.round(v * 10) / 10);

/**
 * The top of the axis: a round number at or above `max` whose half is a whole number too, so that
 * the three ticks (0, half, top) are counts a person can read.
 */
export function niceMax(max: number): number {
  if (!(max > 2)) return 2;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 4, 5, 6, 8, 10]) {
    const top = step * exp;
    if (top >= max && Number.isInteger(top / 2)) return top;
  }
  return 10 * exp;
}

function frame(t: ChartText, width: number, height: number, body: SafeHtml, cls = ''): SafeHtml {
  return html`<svg class="chart ${cls}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${t.id}-title ${t.id}-desc" focusable="false"><title id="${t.id}-title">${t.title}</title><desc id="${t.id}-desc">${t.desc}</desc>${body}</svg>`;
}

function yAxis(top: number, left: number, right: number, y: (v: number) => number, w: Words): SafeHtml {
  return html`${[0, top / 2, top].map(
    (v) =>
      html`<line class="chart-grid" x1="${left}" x2="${right}" y1="${r(y(v))}" y2="${r(y(v))}"/><text class="chart-tick" x="${left - 6}" y="${r(y(v) + 4)}" text-anchor="end">${formatCompact(v, w)}</text>`,
  )}`;
}

export interface StackedColumnsOptions extends ChartText {
  /** One label per column, for the bars' titles ("Mon 3 Nov, 14:00"). */
  columns: string[];
  /** Labels under the axis: at column `at` (its left edge). */
  ticks: { at: number; label: string }[];
  series: Series[];
  width?: number;
  height?: number;
  /** A count in words, for the bars' titles: "3 successful" (a plural message of the page). */
  amount: (n: number) => string;
}

/**
 * Columns stacked by series (one column per hour, a segment per door). Columns whose total is zero
 * draw nothing; the axis still spans every column, so gaps read as quiet hours.
 */
export function stackedColumns(o: StackedColumnsOptions): SafeHtml {
  const w = o.words ?? ENGLISH;
  const width = o.width ?? 760;
  const height = o.height ?? 200;
  const left = 48;
  const right = width - 8;
  const topY = 10;
  const bottom = height - 24;
  const n = o.columns.length;
  const totals = o.columns.map((_, i) => o.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const y = (v: number) => bottom - (v / top) * (bottom - topY);
  const step = (right - left) / Math.max(n, 1);
  const gap = step > 4 ? Math.min(1, step * 0.15) : 0;
  const bars: SafeHtml[] = [];
  for (let i = 0; i < n; i++) {
    if (totals[i] === 0) continue;
    let base = 0;
    for (const s of o.series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const y0 = y(base);
      const y1 = y(base + v);
      bars.push(
        html`<rect class="chart-fill-${s.cls}" x="${r(left + i * step + gap / 2)}" y="${r(y1)}" width="${r(step - gap)}" height="${r(Math.max(y0 - y1, 0.5))}"><title>${w.t('charts.segment', { column: o.columns[i] ?? '', series: s.label, amount: o.amount(v) })}</title></rect>`,
      );
      base += v;
    }
  }
  const ticks = o.ticks.map(
    (t) =>
      html`<line class="chart-rule" x1="${r(left + t.at * step)}" x2="${r(left + t.at * step)}" y1="${topY}" y2="${bottom + 4}"/><text class="chart-tick" x="${r(left + t.at * step + 3)}" y="${bottom + 16}">${t.label}</text>`,
  );
  return frame(
    o,
    width,
    height,
    html`${yAxis(top, left, right, y, w)}${ticks}<g>${bars}</g><line class="chart-axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>`,
  );
}

export interface GroupedColumnsOptions extends ChartText {
  /** One label per group, under it ("Mon 3"). */
  groups: string[];
  /** The long label of each group, for the titles ("Monday 3 November"). */
  groupTitles?: string[];
  series: Series[];
  /** A count in words, for the bars' titles: "2 created". */
  amount: (n: number) => string;
  width?: number;
  height?: number;
}

/** Columns side by side per group (per day: created beside deleted), each with its count above it. */
export function groupedColumns(o: GroupedColumnsOptions): SafeHtml {
  const w = o.words ?? ENGLISH;
  const width = o.width ?? 360;
  const height = o.height ?? 180;
  const left = 40;
  const right = width - 6;
  const topY = 18;
  const bottom = height - 24;
  const all = o.series.flatMap((s) => s.values);
  const top = niceMax(Math.max(0, ...all));
  const y = (v: number) => bottom - (v / top) * (bottom - topY);
  const groupW = (right - left) / Math.max(o.groups.length, 1);
  const pad = groupW * 0.18;
  const barW = (groupW - 2 * pad) / Math.max(o.series.length, 1);
  const marks: SafeHtml[] = [];
  o.groups.forEach((g, i) => {
    const x0 = left + i * groupW + pad;
    o.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const x = x0 + j * barW;
      const label = w.t('charts.segment', {
        column: o.groupTitles?.[i] ?? g,
        series: s.label,
        amount: o.amount(v),
      });
      if (v > 0) {
        marks.push(
          html`<rect class="chart-fill-${s.cls}" x="${r(x + 0.5)}" y="${r(y(v))}" width="${r(barW - 1)}" height="${r(Math.max(bottom - y(v), 0.5))}"><title>${label}</title></rect><text class="chart-value" x="${r(x + barW / 2)}" y="${r(y(v) - 4)}" text-anchor="middle" aria-hidden="true">${formatCompact(v, w)}</text>`,
        );
      }
    });
    marks.push(
      html`<text class="chart-tick" x="${r(left + i * groupW + groupW / 2)}" y="${bottom + 16}" text-anchor="middle">${g}</text>`,
    );
  });
  return frame(
    o,
    width,
    height,
    html`${yAxis(top, left, right, y, w)}<g>${marks}</g><line class="chart-axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>`,
    'chart-small',
  );
}

export interface HorizontalBarsOptions extends ChartText {
  items: { label: string; value: number; href?: string | null }[];
  cls: string;
  /** A count in words, for the bars' titles: "5 refused". */
  amount: (n: number) => string;
  width?: number;
}

/**
 * One bar per item, longest first as given, with its label on the left and its count at its end: a
 * ranking (refusal reasons). A label with an href is a link (to the log filtered by it).
 */
export function horizontalBars(o: HorizontalBarsOptions): SafeHtml {
  const w = o.words ?? ENGLISH;
  const width = o.width ?? 640;
  const rowH = 26;
  const labelW = Math.min(260, width * 0.42);
  const numberW = 64;
  const height = Math.max(o.items.length, 1) * rowH + 4;
  const max = Math.max(1, ...o.items.map((i) => i.value));
  const span = width - labelW - numberW - 8;
  const rows = o.items.map((item, i) => {
    const y = i * rowH + 2;
    const len = Math.max((item.value / max) * span, item.value > 0 ? 1 : 0);
    const label = html`<text class="chart-label" x="${r(labelW - 8)}" y="${y + 17}" text-anchor="end">${item.label}</text>`;
    return html`<g>${item.href ? html`<a href="${item.href}">${label}</a>` : label}<rect class="chart-fill-${o.cls}" x="${r(labelW)}" y="${y + 4}" width="${r(len)}" height="${rowH - 8}"><title>${w.t('charts.bar', { label: item.label, amount: o.amount(item.value) })}</title></rect><text class="chart-value" x="${r(labelW + len + 6)}" y="${y + 17}">${formatNumber(item.value, w)}</text></g>`;
  });
  return frame(o, width, height, html`${rows}`, 'chart-bars');
}

export interface ShareBarOptions extends ChartText {
  parts: { label: string; value: number; cls: string }[];
  width?: number;
}

/** One bar split into the parts of a whole (primary passwords, app passwords, tokens), with percentages. */
export function shareBar(o: ShareBarOptions): SafeHtml {
  const words = o.words ?? ENGLISH;
  const width = o.width ?? 640;
  const height = 44;
  const total = o.parts.reduce((s, p) => s + p.value, 0);
  let x = 0;
  const segs: SafeHtml[] = [];
  for (const p of o.parts) {
    if (p.value <= 0 || total <= 0) continue;
    const w = (p.value / total) * width;
    const pct = formatPercent(p.value / total, words);
    segs.push(
      html`<rect class="chart-fill-${p.cls}" x="${r(x)}" y="0" width="${r(w)}" height="28"><title>${words.t('charts.share', { label: p.label, percent: pct, number: formatNumber(p.value, words) })}</title></rect>${
        w > 46 ? html`<text class="chart-inside" x="${r(x + 6)}" y="19" aria-hidden="true">${pct}</text>` : ''
      }`,
    );
    x += w;
  }
  if (segs.length === 0)
    segs.push(raw(`<rect class="chart-empty" x="0" y="0" width="${width}" height="28"/>`));
  return frame(o, width, height, html`${segs}`, 'chart-share');
}

/** A legend for series drawn in classes: a swatch and a label each (HTML, read by everyone). */
export function legend(items: { label: string; cls: string }[], label: string): SafeHtml {
  return html`<ul class="chart-legend" aria-label="${label}">${items.map(
    (i) =>
      html`<li><svg class="chart-swatch" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" focusable="false"><rect class="chart-fill-${i.cls}" width="12" height="12" rx="2"/></svg>${i.label}</li>`,
  )}</ul>`;
}
