"""The example service's docs page in headless Chromium: what a reader sees.

    docs_page.py --chromium BIN --spec openapi.json --url URL --screenshot PNG [--try-it]

URL is the page (`file://…/index.html` written by `aws-spec docs`, or the served
`http://127.0.0.1:PORT/docs`); openapi.json is the public spec it was made from: the
routes, models and security schemes the rendered DOM must show are read from it. With
--try-it (the served page), the PUT /widget try-it form is filled in and submitted with
real mouse clicks, and the service's answer must show in the page; a second form reads
the widget back.

    docs_page.py --chromium BIN --spec openapi.json --url URL --screenshot PNG --large

checks a page of 1000 routes (bench_support::routes_1000): every operation listed, the
path and tag filters show exactly the operations the spec has for them.

    docs_page.py --chromium BIN --hostile TEXT --url URL --screenshot PNG

opens the page axum-aws's docs_page test writes for a spec whose summary, tag and
title are the markup in the file TEXT: it must show as text, and nothing in it may run.
"""

import argparse
import json
import sys

from chromium import Chromium

METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

failures = []
passed = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    (passed if condition else failures).append(message)


def ref_target(spec, schema):
    while "allOf" in schema and len(schema["allOf"]) == 1:
        schema = schema["allOf"][0]
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    return name, spec["components"]["schemas"][name]


def operation_query(method, path):
    """A JS expression: the operation element of METHOD path."""
    return (
        "[...document.querySelectorAll('details.operation')].find(d =>"
        f" d.querySelector('.method').textContent === {json.dumps(method.upper())} &&"
        f" d.querySelector('.path').textContent === {json.dumps(path)})"
    )


def open_operation(browser, method, path):
    """Opens an operation as a reader would (its body is built on first open)."""
    operation = operation_query(method, path)
    browser.evaluate(f"({operation}).open = true")
    browser.wait_for(f"!!({operation}).querySelector('.operation-body')", what=f"{method} {path} to open")
    return operation


def texts(browser, operation, selector):
    return browser.evaluate(
        f"[...({operation}).querySelectorAll({json.dumps(selector)})].map(e => e.textContent)"
    )


def check_page(browser, spec):
    # Every route's method and path, and nothing else.
    shown = browser.evaluate(
        "[...document.querySelectorAll('details.operation')].map(d =>"
        " d.querySelector('.method').textContent + ' ' + d.querySelector('.path').textContent)"
    )
    expected = [
        f"{m.upper()} {path}" for path, item in spec["paths"].items() for m in METHODS if m in item
    ]
    check(len(expected) >= 4, f"the spec has the example's routes ({len(expected)})")
    check(sorted(shown) == sorted(expected), f"every route's method and path shown: {sorted(shown)}")

    # The PUT body: the model's fields and the color enum, expanded.
    put = open_operation(browser, "put", "/widget")
    model_name, model = ref_target(
        spec, spec["paths"]["/widget"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    )
    fields = texts(browser, put, ".request-body .property-name")
    check(
        "color" in model["properties"] and set(fields) == set(model["properties"]),
        f"PUT /widget body fields of {model_name}: {fields}",
    )
    _, color = ref_target(spec, model["properties"]["color"])
    enum = texts(browser, put, ".request-body .enum-value")
    check(
        "red" in color["enum"] and enum == color["enum"],
        f"PUT /widget color enum listed: {enum}",
    )

    # Auth in words: the API key and the authorizer, both needed; a public route.
    auth = " ".join(browser.evaluate(f"({put}).querySelector('.auth').textContent").split())
    check("API key in the x-api-key header" in auth, f"API-key requirement in words: {auth!r}")
    check(
        "a token in the Authorization header, checked by the widgetAuth authorizer" in auth,
        f"authorizer requirement in words: {auth!r}",
    )
    check(auth.startswith("Needs both:"), "both requirements together")
    public = browser.evaluate(
        f"({open_operation(browser, 'get', '/widget/{widgetName}')}).querySelector('.auth').textContent"
    )
    check(public.strip() == "No authentication.", f"GET /widget/{{widgetName}} is public: {public!r}")

    # The CORS policy, from the path's x-cors: the origin Terraform sets, the preflight cache.
    cors_spec = spec["paths"]["/widget"]["x-cors"]
    cors = " ".join(browser.evaluate(f"({put}).querySelector('.cors').textContent").split())
    check(
        cors_spec.get("originsSetAtDeployment") is True
        and "Browsers may call this path from the origin set at deployment." in cors
        and f"preflight answers cached for {cors_spec['maxAge']} s" in cors
        and "methods: " + ", ".join(cors_spec["allowMethods"]) in cors,
        f"CORS policy in words: {cors!r}",
    )

    # The filter: by path text, then by tag.
    browser.type_into("#search", "reports")
    visible = browser.wait_for(
        "(() => { const n = document.querySelectorAll('details.operation:not([hidden])').length;"
        " return n < %d && n; })()" % len(expected),
        what="the filter to apply",
    )
    reports = [e for e in expected if "/reports" in e]
    check(visible == len(reports), f"filter 'reports' leaves {visible} of {len(expected)} operations")
    browser.type_into("#search", "")
    browser.evaluate(
        "(() => { const s = document.querySelector('#tag-filter'); s.value = 'widgets';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    tagged = browser.evaluate("document.querySelectorAll('details.operation:not([hidden])').length")
    widgets = [
        f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in METHODS
        if m in item and "widgets" in item[m].get("tags", [])
    ]
    check(tagged == len(widgets), f"tag 'widgets' shows {tagged} operations")
    browser.evaluate(
        "(() => { const s = document.querySelector('#tag-filter'); s.value = '';"
        " s.dispatchEvent(new Event('change')); })()"
    )


def try_it(browser):
    put = open_operation(browser, "put", "/widget")
    browser.evaluate(f"({put}).querySelector('.try-it').open = true")
    form = "details.operation.put form.try"
    browser.type_into(f"{form} input[name='header:x-api-key']", "docs-test-key")
    browser.type_into(f"{form} input[name='header:Authorization']", "Bearer docs-test")
    browser.type_into(f"{form} textarea[name='body']", '{"name": "docs-test", "color": "blue"}')
    browser.click(f"{form} button[type='submit']")
    answer = browser.wait_for(
        f"(() => {{ const r = document.querySelector('{form} pre.try-response.done, {form} pre.try-response.failed');"
        " return r && r.textContent; })()",
        what="the PUT answer in the page",
    )
    print("      " + answer.replace("\n", "\n      "))
    check("PUT http" in answer and "/widget\n" in answer, "the form sent PUT to the server URL")
    check("\n201 " in answer, "the answer's status (201 Created) is shown")
    check('"name":"docs-test"' in answer and '"color":"blue"' in answer, "the answer's body is shown")

    get = open_operation(browser, "get", "/widget/{widgetName}")
    browser.evaluate(f"({get}).querySelector('.try-it').open = true")
    form = "details.operation.get form.try[data-operation='getWidget']"
    browser.type_into(f"{form} input[name='path:widgetName']", "docs-test")
    browser.click(f"{form} button[type='submit']")
    answer = browser.wait_for(
        f"(() => {{ const r = document.querySelector(\"{form} pre.try-response.done\"); return r && r.textContent; }})()",
        what="the GET answer in the page",
    )
    check("/widget/docs-test\n" in answer and "\n200 " in answer and '"color":"blue"' in answer,
          "GET /widget/docs-test reads back what the PUT stored")


def check_hostile(browser, text):
    """The page of a spec whose texts are markup (axum-aws's docs_page test writes it)."""
    summary = browser.evaluate("document.querySelector('details.operation.put .summary').textContent")
    check(summary == text, f"a summary of markup is shown as text: {summary!r}")
    tag = browser.evaluate("document.querySelector('section.tag-group h2').textContent")
    check(tag == text, "a tag of markup is shown as text")
    check(browser.evaluate("document.title").startswith("</script>"), "the title is text")
    elements = browser.evaluate(
        "[document.scripts.length, document.images.length, typeof window.pwned]"
    )
    check(elements == [2, 0, "undefined"], f"no script ran, no element added (scripts, images, pwned): {elements}")


def check_large(browser, spec):
    """A page of 1000 routes: all listed, and the filters find what the spec has."""
    ops = [(m, p, item[m]) for p, item in spec["paths"].items() for m in METHODS if m in item]
    listed = browser.evaluate("document.querySelectorAll('details.operation').length")
    check(len(ops) >= 1000 and listed == len(ops), f"all {len(ops)} operations listed ({listed})")
    print(f"      rendered in {browser.evaluate('document.body.dataset.renderedAt')} ms from navigation start")
    browser.type_into("#search", "g19/")
    want = sum(1 for m, p, op in ops if "g19/" in p)
    got = browser.wait_for(
        "(() => { const n = document.querySelectorAll('details.operation:not([hidden])').length;"
        " return n < %d && n; })()" % len(ops),
        what="the filter to apply",
    )
    check(want > 0 and got == want, f"filter 'g19/' shows the {want} operations under /g19/ ({got})")
    browser.type_into("#search", "")
    tag = ops[-1][2]["tags"][0]
    browser.evaluate(
        "(() => { const s = document.querySelector('#tag-filter'); s.value = %s;"
        " s.dispatchEvent(new Event('change')); })()" % json.dumps(tag)
    )
    want = sum(1 for m, p, op in ops if tag in op.get("tags", []))
    got = browser.evaluate("document.querySelectorAll('details.operation:not([hidden])').length")
    check(got == want, f"tag {tag!r} shows its {want} operations ({got})")
    method, path, op = ops[-1]
    last = open_operation(browser, method, path)
    params = texts(browser, last, ".parameter-name")
    want = [p["name"] for p in op.get("parameters", [])]
    check(want and params == want, f"the last operation, {method.upper()} {path}, opens with its parameters {params}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--spec", help="the public spec the page shows (not with --hostile)")
    parser.add_argument("--url", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--try-it", action="store_true")
    parser.add_argument("--large", action="store_true", help="a page of 1000 routes: listing and filters")
    parser.add_argument("--hostile", metavar="TEXT_FILE", help="the page's texts are this file's markup")
    args = parser.parse_args()
    spec = None
    if not args.hostile:
        with open(args.spec) as f:
            spec = json.load(f)
    print(f"docs page: {args.url}")
    with Chromium(args.chromium) as browser:
        rendered = browser.open(args.url)
        check(int(rendered) > 0, f"the page rendered {rendered} operations")
        if args.hostile:
            with open(args.hostile) as f:
                check_hostile(browser, f.read())
            browser.screenshot(args.screenshot)
            print(f"docs page: {len(passed)} passed, {len(failures)} failed")
            sys.exit(1 if failures else 0)
        if args.large:
            check_large(browser, spec)
        else:
            check_page(browser, spec)
        if args.try_it:
            try_it(browser)
        if not args.large:
            open_operation(browser, "put", "/widget")
        browser.evaluate("window.scrollTo(0, 0)")
        browser.screenshot(args.screenshot)
        print(f"      screenshot: {args.screenshot}")
    print(f"docs page: {len(passed)} passed, {len(failures)} failed")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
