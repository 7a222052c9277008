//! SVG charts the book embeds: grouped bars and lines, written by hand.
//!
//! A chart is a few dozen rectangles and text labels; a plotting crate would
//! cost more build time than the chart costs to write. Each chart sits on a
//! white card with dark text, so it reads the same in mdBook's light and dark
//! themes, and every value is printed on its bar: the reader should not need
//! to estimate lengths against an axis.
//!
//! Bars carry `class="bar"` and `data-series`, `data-category` and
//! `data-value` attributes, and lines `class="line"`: the tests (and anyone
//! scripting the book) can check a chart without guessing at its geometry.

use std::fmt::Write as _;

/// Okabe–Ito colours: distinguishable with the common colour-vision
/// deficiencies, and dark enough on white.
pub(super) const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F7F7F", "#000000",
];
pub(super) const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
pub(super) const TEXT: &str = "#1a1a1a";
pub(super) const MUTED: &str = "#555555";
/// Rough width of one character of 12px text, for laying out labels.
const CHAR_W: f64 = 7.0;
const PAD: f64 = 16.0;

/// Grouped horizontal bars: one group per category, one bar per series.
///
/// ```
/// use labkit::report::BarChart;
/// let svg = BarChart::new("Round trip, p50", "µs")
///     .categories(["raw TCP", "HTTP/1.1"])
///     .series("pinned", [4.1, 41.0])
///     .series("unpinned", [70.0, 112.0])
///     .to_svg();
/// assert!(svg.starts_with("<svg"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// Printed after every value, e.g. "µs", "msg/s", "B".
    pub unit: String,
    pub categories: Vec<String>,
    /// `(series name, one value per category)`; a missing or NaN value draws
    /// no bar and prints "n/a".
    pub series: Vec<(String, Vec<f64>)>,
}

/// Lines through `(x, y)` points, e.g. queue depth over time.
///
/// ```
/// use labkit::report::LineChart;
/// let svg = LineChart::new("Queue depth", "time (s)", "messages")
///     .series("no consumer", vec![(0.0, 0.0), (1.0, 500.0), (2.0, 1000.0)])
///     .to_svg();
/// assert!(svg.contains("<polyline"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// `(series name, points)`; points that are not finite are skipped.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

impl BarChart {
    /// An empty chart; add [`categories`](Self::categories) and
    /// [`series`](Self::series).
    pub fn new(title: impl Into<String>, unit: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            unit: unit.into(),
            ..Self::default()
        }
    }

    /// Sets the categories: one group of bars each, top to bottom.
    pub fn categories<S: Into<String>>(mut self, categories: impl IntoIterator<Item = S>) -> Self {
        self.categories = categories.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a series: one value per category, in the same order.
    pub fn series(
        mut self,
        name: impl Into<String>,
        values: impl IntoIterator<Item = f64>,
    ) -> Self {
        self.series
            .push((name.into(), values.into_iter().collect()));
        self
    }

    fn value_label(&self, v: Option<f64>) -> String {
        match v {
            Some(v) if v.is_finite() => match self.unit.as_str() {
                "" => number(v),
                "x" | "%" => format!("{}{}", number(v), self.unit),
                unit => format!("{} {unit}", number(v)),
            },
            _ => "n/a".to_string(),
        }
    }

    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        const WIDTH: f64 = 720.0;
        const BAR_H: f64 = 18.0;
        const BAR_GAP: f64 = 4.0;
        const GROUP_GAP: f64 = 14.0;

        let value = |s: usize, c: usize| self.series[s].1.get(c).copied();
        let max = (0..self.series.len())
            .flat_map(|s| (0..self.categories.len()).map(move |c| (s, c)))
            .filter_map(|(s, c)| value(s, c))
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max);

        let label_w =
            text_width(self.categories.iter().map(String::as_str)).clamp(40.0, 420.0) + 12.0;
        let value_w = (0..self.series.len())
            .flat_map(|s| (0..self.categories.len()).map(move |c| (s, c)))
            .map(|(s, c)| width_of(&self.value_label(value(s, c))))
            .fold(24.0, f64::max)
            + 12.0;
        let plot_x = PAD + label_w;
        let plot_w = (WIDTH - plot_x - value_w - PAD).max(200.0);
        let width = plot_x + plot_w + value_w + PAD;

        let legend = self.series.len() > 1;
        let top = 48.0 + if legend { 26.0 } else { 0.0 };
        let n = self.series.len().max(1) as f64;
        let group_h = n * BAR_H + (n - 1.0) * BAR_GAP;
        let groups = self.categories.len() as f64;
        let plot_h = (groups * (group_h + GROUP_GAP) - GROUP_GAP).max(BAR_H);
        let height = top + plot_h + PAD + 8.0;

        let mut svg = open_svg(width, height, &self.title);
        if legend {
            draw_legend(&mut svg, self.series.iter().map(|(n, _)| n.as_str()), 56.0);
        }
        // The zero line the bars grow from.
        let _ = writeln!(
            svg,
            r##"  <line x1="{x:.1}" y1="{y1:.1}" x2="{x:.1}" y2="{y2:.1}" stroke="#888888" stroke-width="1"/>"##,
            x = plot_x,
            y1 = top - 6.0,
            y2 = top + plot_h + 6.0,
        );
        for (c, category) in self.categories.iter().enumerate() {
            let group_y = top + c as f64 * (group_h + GROUP_GAP);
            let _ = writeln!(
                svg,
                r#"  <text x="{:.1}" y="{:.1}" text-anchor="end" font-size="13" fill="{TEXT}">{}</text>"#,
                plot_x - 8.0,
                group_y + group_h / 2.0 + 4.5,
                escape(category),
            );
            for (s, (series, _)) in self.series.iter().enumerate() {
                let y = group_y + s as f64 * (BAR_H + BAR_GAP);
                let v = value(s, c);
                let label = self.value_label(v);
                let mut end = plot_x;
                if let Some(v) = v.filter(|v| v.is_finite()) {
                    let mut len = if max > 0.0 {
                        v.max(0.0) / max * plot_w
                    } else {
                        0.0
                    };
                    if v > 0.0 {
                        len = len.max(1.0); // a tiny value still shows
                    }
                    end += len;
                    let _ = writeln!(
                        svg,
                        r#"  <rect class="bar" data-series="{}" data-category="{}" data-value="{v}" x="{plot_x:.1}" y="{y:.1}" width="{len:.2}" height="{BAR_H}" rx="2" fill="{}"><title>{}</title></rect>"#,
                        escape(series),
                        escape(category),
                        PALETTE[s % PALETTE.len()],
                        escape(&format!("{series} — {category}: {label}")),
                    );
                }
                let _ = writeln!(
                    svg,
                    r#"  <text x="{:.1}" y="{:.1}" font-size="12" fill="{TEXT}">{}</text>"#,
                    end + 6.0,
                    y + BAR_H / 2.0 + 4.0,
                    escape(&label),
                );
            }
        }
        svg.push_str("</svg>\n");
        svg
    }
}

impl LineChart {
    /// An empty chart; add [`series`](Self::series).
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            ..Self::default()
        }
    }

    /// Adds a series of `(x, y)` points, drawn in the order given.
    pub fn series(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> Self {
        self.series
            .push((name.into(), points.into_iter().collect()));
        self
    }

    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        const WIDTH: f64 = 720.0;
        const PLOT_H: f64 = 300.0;

        let points = || {
            self.series
                .iter()
                .flat_map(|(_, p)| p.iter())
                .filter(|(x, y)| x.is_finite() && y.is_finite())
        };
        let (x_min, x_max) = bounds(points().map(|p| p.0), false);
        // Counts and depths read best from zero.
        let (y_min, y_max) = bounds(points().map(|p| p.1), true);
        let x_ticks = nice_ticks(x_min, x_max);
        let y_ticks = nice_ticks(y_min, y_max);

        let legend = self.series.len() > 1;
        let top = 48.0 + if legend { 26.0 } else { 0.0 };
        let y_tick_w = text_width(y_ticks.labels.iter().map(String::as_str));
        let plot_x = PAD + 22.0 + y_tick_w + 8.0;
        let plot_w = WIDTH - plot_x - PAD - 8.0;
        let height = top + PLOT_H + 56.0;
        let sx = |x: f64| plot_x + (x - x_ticks.lo) / (x_ticks.hi - x_ticks.lo) * plot_w;
        let sy = |y: f64| top + PLOT_H - (y - y_ticks.lo) / (y_ticks.hi - y_ticks.lo) * PLOT_H;

        let mut svg = open_svg(WIDTH, height, &self.title);
        if legend {
            draw_legend(&mut svg, self.series.iter().map(|(n, _)| n.as_str()), 56.0);
        }
        // Grid lines and tick labels.
        for (v, label) in y_ticks.values.iter().zip(&y_ticks.labels) {
            let y = sy(*v);
            let _ = writeln!(
                svg,
                r##"  <line x1="{plot_x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e3e3" stroke-width="1"/>"##,
                plot_x + plot_w,
            );
            let _ = writeln!(
                svg,
                r#"  <text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="{MUTED}">{}</text>"#,
                plot_x - 6.0,
                y + 4.0,
                escape(label),
            );
        }
        for (v, label) in x_ticks.values.iter().zip(&x_ticks.labels) {
            let x = sx(*v);
            let _ = writeln!(
                svg,
                r##"  <line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{:.1}" stroke="#e3e3e3" stroke-width="1"/>"##,
                top + PLOT_H,
            );
            let _ = writeln!(
                svg,
                r#"  <text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">{}</text>"#,
                top + PLOT_H + 16.0,
                escape(label),
            );
        }
        // Axes.
        let _ = writeln!(
            svg,
            r##"  <path d="M{plot_x:.1},{top:.1} V{:.1} H{:.1}" fill="none" stroke="#888888" stroke-width="1"/>"##,
            top + PLOT_H,
            plot_x + plot_w,
        );
        let _ = writeln!(
            svg,
            r#"  <text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="{TEXT}">{}</text>"#,
            plot_x + plot_w / 2.0,
            top + PLOT_H + 38.0,
            escape(&self.x_label),
        );
        let _ = writeln!(
            svg,
            r#"  <text transform="translate({:.1},{:.1}) rotate(-90)" text-anchor="middle" font-size="12" fill="{TEXT}">{}</text>"#,
            PAD + 6.0,
            top + PLOT_H / 2.0,
            escape(&self.y_label),
        );
        // The lines, with dots when there are few enough points to see them.
        for (s, (name, pts)) in self.series.iter().enumerate() {
            let colour = PALETTE[s % PALETTE.len()];
            let pts: Vec<(f64, f64)> = pts
                .iter()
                .copied()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect();
            let mut coords = String::new();
            for (i, (x, y)) in pts.iter().enumerate() {
                if i > 0 {
                    coords.push(' ');
                }
                let _ = write!(coords, "{:.1},{:.1}", sx(*x), sy(*y));
            }
            let _ = writeln!(
                svg,
                r#"  <polyline class="line" data-series="{}" points="{coords}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round"><title>{}</title></polyline>"#,
                escape(name),
                escape(name),
            );
            if pts.len() <= 40 {
                for (x, y) in &pts {
                    let _ = writeln!(
                        svg,
                        r#"  <circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{colour}"/>"#,
                        sx(*x),
                        sy(*y),
                    );
                }
            }
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// The opening of a chart: the `<svg>` element, its accessible title, the
/// white card and the visible title.
fn open_svg(width: f64, height: f64, title: &str) -> String {
    let title = escape(title);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="{title}" font-family="{FONT}">"#,
    );
    let _ = writeln!(svg, "  <title>{title}</title>");
    let _ = writeln!(
        svg,
        r##"  <rect x="0.5" y="0.5" width="{:.0}" height="{:.0}" rx="6" fill="#ffffff" stroke="#d0d0d0"/>"##,
        width - 1.0,
        height - 1.0,
    );
    let _ = writeln!(
        svg,
        r#"  <text x="{PAD}" y="30" font-size="16" font-weight="600" fill="{TEXT}">{title}</text>"#,
    );
    svg
}

/// A row of colour swatches with series names, starting at `y`.
fn draw_legend<'a>(svg: &mut String, names: impl Iterator<Item = &'a str>, y: f64) {
    let mut x = PAD;
    for (s, name) in names.enumerate() {
        let _ = writeln!(
            svg,
            r#"  <rect x="{x:.1}" y="{:.1}" width="12" height="12" rx="2" fill="{}"/>"#,
            y - 10.0,
            PALETTE[s % PALETTE.len()],
        );
        let _ = writeln!(
            svg,
            r#"  <text x="{:.1}" y="{y:.1}" font-size="12" fill="{TEXT}">{}</text>"#,
            x + 17.0,
            escape(name),
        );
        x += 17.0 + width_of(name) + 18.0;
    }
}

/// Text made safe inside an element or a quoted attribute. Characters XML
/// does not allow at all (most control characters) become spaces.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn width_of(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

fn text_width<'a>(texts: impl Iterator<Item = &'a str>) -> f64 {
    texts.map(width_of).fold(0.0, f64::max)
}

/// A value label: three significant digits, no exponent, no trailing zeros
/// beyond what the magnitude needs ("4.1", "41.2", "1234").
fn number(v: f64) -> String {
    let abs = v.abs();
    let decimals = if abs >= 100.0 || abs == 0.0 {
        0
    } else if abs >= 10.0 {
        1
    } else if abs >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The smallest and largest value, widened so the range is never empty.
fn bounds(values: impl Iterator<Item = f64>, from_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        (lo, hi) = (0.0, 1.0); // no points at all
    }
    if from_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo < f64::EPSILON * hi.abs().max(1.0) {
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.5 };
        (
            lo - if from_zero && lo >= 0.0 { 0.0 } else { pad },
            hi + pad,
        )
    } else {
        (lo, hi)
    }
}

struct Ticks {
    lo: f64,
    hi: f64,
    values: Vec<f64>,
    labels: Vec<String>,
}

/// About five round-numbered ticks (steps of 1, 2 or 5 times a power of ten)
/// covering `lo..=hi`.
fn nice_ticks(lo: f64, hi: f64) -> Ticks {
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let values: Vec<f64> = (0..=((last - first) as usize))
        .map(|i| (first + i as f64) * step)
        .collect();
    let labels = values
        .iter()
        .map(|v| format!("{:.decimals$}", if *v == 0.0 { 0.0 } else { *v }))
        .collect();
    Ticks {
        lo: first * step,
        hi: last * step,
        values,
        labels,
    }
}
