"""How long headless Chromium takes to render a docs page, and to filter it.

    .tools/venv/bin/python bench/docs_page.py --chromium .tools/bin/chromium PAGE.html [--runs 5]

PAGE.html is an `aws-spec docs` page (`bench/docs_page.sh` writes the 1000-route one
of bench_support::routes_1000). Each run opens the page in a fresh tab of one headless
Chromium and reads, from the page itself: the time from navigation start until the
page's script has rendered every operation (`performance.now()` when it sets
`data-rendered`: HTML parse, JSON.parse of the embedded spec, building the DOM), the
script's own share (`data-render-ms`), then the time until the next frame is painted
(layout and style included), and the time a filter keystroke takes to apply (the
input event to the next painted frame). Prints the medians. A measurement, not a test.
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "tests"))
from chromium import Chromium  # noqa: E402

PAINTED = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("page")
    args = parser.parse_args()
    url = "file://" + os.path.abspath(args.page)
    rows = {"rendered": [], "script": [], "painted": [], "filter": [], "clear": []}
    with Chromium(args.chromium) as browser:
        for _ in range(args.runs + 1):  # the first run warms the disk cache and is dropped
            browser.send("Page.navigate", url="about:blank")
            browser.wait_for("document.readyState === 'complete' && location.href === 'about:blank'")
            operations = int(browser.open(url))
            at, script = browser.evaluate(
                "[parseFloat(document.body.dataset.renderedAt), parseFloat(document.body.dataset.renderMs)]"
            )
            painted = browser.evaluate(PAINTED)
            timing = browser.evaluate(
                "(async () => { const s = document.querySelector('#search');"
                " const t0 = performance.now(); s.value = 'g19/'; s.dispatchEvent(new Event('input'));"
                " const t1 = await " + PAINTED + ";"
                " const shown = document.querySelectorAll('details.operation:not([hidden])').length;"
                " const t2 = performance.now(); s.value = ''; s.dispatchEvent(new Event('input'));"
                " const t3 = await " + PAINTED + ";"
                " return [t1 - t0, shown, t3 - t2]; })()"
            )
            rows["rendered"].append(at)
            rows["script"].append(script)
            rows["painted"].append(painted)
            rows["filter"].append(timing[0])
            rows["clear"].append(timing[2])
            shown = timing[1]
    for values in rows.values():
        del values[0]
    size = os.path.getsize(args.page)
    print(f"page: {args.page} ({size / 1e6:.2f} MB, {operations} operations), {args.runs} runs, medians:")
    print(f"  navigation start -> every operation rendered: {statistics.median(rows['rendered']):.0f} ms"
          f" (the page's script: {statistics.median(rows['script']):.0f} ms)")
    print(f"  navigation start -> first frame painted after it: {statistics.median(rows['painted']):.0f} ms")
    print(f"  filter 'g19/' ({shown} shown) -> painted: {statistics.median(rows['filter']):.0f} ms;"
          f" clearing it -> painted: {statistics.median(rows['clear']):.0f} ms")


if __name__ == "__main__":
    main()
