//! The SVG charts are well-formed XML, draw one bar per value at the right
//! relative length, and escape whatever text a lab puts in them.

use labkit::report::{BarChart, LineChart};

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"))
}

struct Bar {
    series: String,
    category: String,
    value: f64,
    width: f64,
}

fn bars(doc: &roxmltree::Document<'_>) -> Vec<Bar> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some("bar"))
        .map(|n| Bar {
            series: n.attribute("data-series").unwrap().to_string(),
            category: n.attribute("data-category").unwrap().to_string(),
            value: n.attribute("data-value").unwrap().parse().unwrap(),
            width: n.attribute("width").unwrap().parse().unwrap(),
        })
        .collect()
}

fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect()
}

#[test]
fn one_bar_per_value_with_proportional_lengths() {
    let svg = BarChart::new("Round trip, p50", "µs")
        .categories(["raw TCP", "HTTP/1.1", "gRPC"])
        .series("pinned", [4.1, 41.0, 55.0])
        .series("unpinned", [70.0, 112.0, 130.0])
        .to_svg();
    std::fs::write(std::env::temp_dir().join("labkit-report-bars.svg"), &svg).unwrap();
    let doc = parse(&svg);
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );

    let bars = bars(&doc);
    assert_eq!(bars.len(), 6, "2 series × 3 categories");
    assert_eq!(
        (bars[0].series.as_str(), bars[0].category.as_str()),
        ("pinned", "raw TCP")
    );

    let longest = bars
        .iter()
        .max_by(|a, b| a.width.total_cmp(&b.width))
        .unwrap();
    assert_eq!(
        longest.value, 130.0,
        "the largest value draws the longest bar"
    );
    for b in &bars {
        let want = b.value / 130.0 * longest.width;
        assert!(
            (b.width - want).abs() < 0.05,
            "{} {}: width {} want {want}",
            b.series,
            b.category,
            b.width
        );
    }

    // Every value is printed, with its unit, and the card is white.
    let texts = texts(&doc);
    for label in [
        "4.1 µs",
        "41 µs",
        "130 µs",
        "raw TCP",
        "pinned",
        "unpinned",
        "Round trip, p50",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "no text {label:?} in {texts:?}"
        );
    }
    let card = doc.descendants().find(|n| n.has_tag_name("rect")).unwrap();
    assert_eq!(card.attribute("fill"), Some("#ffffff"));
}

#[test]
fn missing_and_odd_values_do_not_break_the_chart() {
    let svg = BarChart::new("odd", "")
        .categories(["a", "b", "c", "d"])
        .series("s", [0.0, f64::NAN, -3.0]) // "d" has no value at all
        .to_svg();
    let doc = parse(&svg);
    let bars = bars(&doc);
    assert_eq!(bars.len(), 2, "NaN and missing values draw no bar");
    assert!(bars.iter().all(|b| b.width == 0.0));
    assert_eq!(texts(&doc).iter().filter(|t| *t == "n/a").count(), 2);
}

#[test]
fn text_is_escaped() {
    let nasty = r#"<script>&"quotes" 'too'</script>"#;
    let svg = BarChart::new(nasty, "B")
        .categories([nasty, "control\u{1}char"])
        .series(nasty, [1.0, 2.0])
        .series("other", [3.0, 4.0])
        .to_svg();
    let doc = parse(&svg);
    assert!(!svg.contains("<script>"));
    assert!(texts(&doc).iter().any(|t| t == nasty));
    assert_eq!(bars(&doc)[0].category, nasty);

    let line = LineChart::new(nasty, nasty, nasty)
        .series(nasty, vec![(0.0, 1.0)])
        .to_svg();
    let doc = parse(&line);
    assert!(texts(&doc).iter().filter(|t| *t == nasty).count() >= 3);
}

#[test]
fn line_chart_draws_one_line_per_series_through_every_point() {
    let depth: Vec<(f64, f64)> = (0..=100)
        .map(|t| (t as f64 / 10.0, (t * 37 % 500) as f64))
        .collect();
    let svg = LineChart::new("Queue depth", "time (s)", "messages")
        .series("slow consumer", depth.clone())
        .series(
            "no consumer",
            vec![(0.0, 0.0), (5.0, 800.0), (10.0, 1600.0)],
        )
        .to_svg();
    std::fs::write(std::env::temp_dir().join("labkit-report-lines.svg"), &svg).unwrap();
    let doc = parse(&svg);
    let lines: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("class") == Some("line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let points = |i: usize| -> Vec<(f64, f64)> {
        lines[i]
            .attribute("points")
            .unwrap()
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    };
    assert_eq!(points(0).len(), 101);
    let growth = points(1);
    assert_eq!(growth.len(), 3);
    // Left to right, and up the screen (smaller y) as the depth grows.
    assert!(growth[0].0 < growth[1].0 && growth[1].0 < growth[2].0);
    assert!(growth[0].1 > growth[1].1 && growth[1].1 > growth[2].1);
    let texts = texts(&doc);
    for label in ["time (s)", "messages", "0", "2000", "no consumer"] {
        assert!(
            texts.iter().any(|t| t == label),
            "no text {label:?} in {texts:?}"
        );
    }
}

#[test]
fn degenerate_line_charts_are_still_well_formed() {
    for chart in [
        LineChart::new("empty", "x", "y"),
        LineChart::new("one point", "x", "y").series("s", vec![(3.0, 3.0)]),
        LineChart::new("flat", "x", "y").series("s", vec![(0.0, 5.0), (1.0, 5.0)]),
        LineChart::new("nan", "x", "y").series("s", vec![(f64::NAN, 1.0), (1.0, f64::INFINITY)]),
    ] {
        let svg = chart.to_svg();
        parse(&svg);
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "{}: {svg}",
            chart.title
        );
    }
}
